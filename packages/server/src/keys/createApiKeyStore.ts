import { NotFoundError } from '@accesspoint/core'
import { LRUCache } from 'lru-cache'
import type { Address } from 'viem'
import { InvalidApiKeyError } from '../auth/errors.js'
import { generateSecret } from '../auth/generateSecret.js'
import { hashSecret } from '../auth/hashSecret.js'
import type { ApiKeyScope, PassRef, Principal } from '../auth/types.js'
import type { Database } from '../db/createDatabase.js'

export const apiKeyPrefix = 'ap_live_'
// Shown in lists so a user can tell keys apart: the prefix and the first random characters.
const displayedLength = apiKeyPrefix.length + 8

type ApiKeyPrincipal = Extract<Principal, { kind: 'apiKey' }>

/** An API key as listed to its owner; never the secret. */
export type ApiKeyInfo = {
  id: string
  name: string
  /** e.g. `ap_live_Xy3k9Qa1`: enough to recognise the key, useless to an attacker. */
  prefix: string
  scopes: ApiKeyScope[]
  pass: PassRef | null
  createdAt: Date
  lastUsedAt: Date | null
  expiresAt: Date | null
  revokedAt: Date | null
}

export type CreateApiKeyParameters = {
  walletAddress: Address
  name: string
  scopes: readonly ApiKeyScope[]
  passId: string | null
  expiresAt: Date | null
}

export type ApiKeyStore = {
  /** Stores a key and returns its secret, the only time it is ever shown. */
  create(parameters: CreateApiKeyParameters): Promise<{ secret: string; key: ApiKeyInfo }>
  list(walletAddress: Address): Promise<ApiKeyInfo[]>
  /** Revokes one of the wallet's keys; `NotFoundError` if it has no such key. */
  revoke(walletAddress: Address, id: string): Promise<ApiKeyInfo>
  /** The key behind a secret: a hash lookup in memory on the hot path. */
  authenticate(secret: string): Promise<ApiKeyPrincipal>
  forgetWallet(walletAddress: Address): void
  /** Drops one cached key, e.g. when another instance revoked it. */
  forgetKey(apiKeyId: string): void
  /** Drops every cached key and refusal (after missing another instance's revocations). */
  forgetAll(): void
  /** Lookups answered from the in-process cache (a cached refusal included) and from the database. */
  stats(): { hits: number; misses: number }
}

export type CreateApiKeyStoreParameters = {
  database: Database
  cache?: {
    /** Keys kept in memory. Default 50 000. */
    max?: number | undefined
    /** Bytes of keys kept in memory (estimated). Default 32 MiB. */
    maxBytes?: number | undefined
    ttlMs?: number | undefined
  }
}

export type CreateApiKeyStoreReturnType = ApiKeyStore

// Refusals are cached apart from the keys (a flood of made-up keys cannot push real ones out)
// and as a word, not an Error with its stack: see createSessionStore.
type Refusal = 'unknown' | 'revoked'

const refusalMessages = {
  unknown: 'Unknown API key.',
  revoked: 'This API key has been revoked.',
} as const

// Ids, a 42-character address, scopes and the pass, with their object overhead.
const keyBytes = (key: ApiKeyPrincipal) =>
  300 + 2 * (key.apiKeyId.length + 42 + key.scopes.join().length) + (key.pass ? 200 : 0)

const infoSelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  pass: { select: { chainId: true, contractAddress: true, tokenId: true } },
} as const

type InfoRow = {
  id: string
  name: string
  prefix: string
  scopes: string[]
  createdAt: Date
  lastUsedAt: Date | null
  expiresAt: Date | null
  revokedAt: Date | null
  pass: PassRow | null
}

type PassRow = { chainId: number; contractAddress: string; tokenId: { toFixed(): string } }

function toPassRef(row: PassRow): PassRef {
  return {
    chainId: row.chainId,
    contract: row.contractAddress as Address,
    tokenId: BigInt(row.tokenId.toFixed()),
  }
}

function toInfo(row: InfoRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as ApiKeyScope[],
    pass: row.pass && toPassRef(row.pass),
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  }
}

/** API keys in the database (hash only), fronted by an in-process LRU keyed by the hash. */
export function createApiKeyStore({
  database,
  cache: { max = 50_000, maxBytes = 32 * 1024 * 1024, ttlMs = 30_000 } = {},
}: CreateApiKeyStoreParameters): CreateApiKeyStoreReturnType {
  const cache = new LRUCache<string, ApiKeyPrincipal>({
    max,
    maxSize: maxBytes,
    sizeCalculation: keyBytes,
    ttl: ttlMs,
  })
  const refusals = new LRUCache<string, Refusal>({ max: 10_000, ttl: 5_000 })
  const stats = { hits: 0, misses: 0 }

  function dropWhere(predicate: (entry: ApiKeyPrincipal) => boolean) {
    for (const [key, entry] of cache.entries()) if (predicate(entry)) cache.delete(key)
  }

  return {
    async create({ walletAddress, name, scopes, passId, expiresAt }) {
      const secret = generateSecret({ prefix: apiKeyPrefix })
      const row = await database.prisma.apiKey.create({
        data: {
          name,
          prefix: secret.slice(0, displayedLength),
          keyHash: hashSecret(secret),
          scopes: [...scopes],
          walletAddress: walletAddress.toLowerCase(),
          passId,
          expiresAt,
        },
        select: infoSelect,
      })
      return { secret, key: toInfo(row) }
    },

    async list(walletAddress) {
      const rows = await database.prisma.apiKey.findMany({
        where: { walletAddress: walletAddress.toLowerCase() },
        orderBy: { createdAt: 'desc' },
        select: infoSelect,
      })
      return rows.map(toInfo)
    },

    async revoke(walletAddress, id) {
      const address = walletAddress.toLowerCase()
      const { count } = await database.prisma.apiKey.updateMany({
        where: { id, walletAddress: address, revokedAt: null },
        data: { revokedAt: new Date() },
      })
      dropWhere((entry) => entry.apiKeyId === id)
      const row = await database.prisma.apiKey.findFirst({
        where: { id, walletAddress: address },
        select: infoSelect,
      })
      // Someone else's key is "not found", so key ids cannot be probed.
      if (!row) throw new NotFoundError('This wallet has no API key with that id.')
      if (count === 0 && !row.revokedAt)
        throw new NotFoundError('The API key could not be revoked.')
      return toInfo(row)
    },

    async authenticate(secret) {
      if (!secret.startsWith(apiKeyPrefix) || secret.length !== apiKeyPrefix.length + 43)
        throw new InvalidApiKeyError('The API key is malformed: it should start with ap_live_.')
      const keyHash = hashSecret(secret)
      let entry = cache.get(keyHash)
      const refusal = entry ? undefined : refusals.get(keyHash)
      if (refusal) {
        stats.hits++
        throw new InvalidApiKeyError(refusalMessages[refusal])
      }
      if (entry) stats.hits++
      else {
        stats.misses++
        const row = await database.prisma.apiKey.findUnique({
          where: { keyHash },
          select: {
            id: true,
            walletAddress: true,
            scopes: true,
            expiresAt: true,
            revokedAt: true,
            pass: { select: { chainId: true, contractAddress: true, tokenId: true } },
          },
        })
        if (!row || row.revokedAt) {
          const refused: Refusal = row ? 'revoked' : 'unknown'
          refusals.set(keyHash, refused)
          throw new InvalidApiKeyError(refusalMessages[refused])
        }
        entry = {
          kind: 'apiKey',
          apiKeyId: row.id,
          walletAddress: row.walletAddress as Address,
          scopes: row.scopes as ApiKeyScope[],
          pass: row.pass && toPassRef(row.pass),
          expiresAt: row.expiresAt,
        }
        cache.set(keyHash, entry)
      }
      if (entry.expiresAt && entry.expiresAt.getTime() <= Date.now())
        throw new InvalidApiKeyError('This API key has expired. Create a new one.')
      return entry
    },

    forgetWallet(walletAddress) {
      const address = walletAddress.toLowerCase()
      dropWhere((entry) => entry.walletAddress === address)
    },

    forgetKey(apiKeyId) {
      dropWhere((entry) => entry.apiKeyId === apiKeyId)
    },

    forgetAll() {
      cache.clear()
      refusals.clear()
    },

    stats: () => ({ ...stats }),
  }
}
