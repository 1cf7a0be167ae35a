import { LRUCache } from 'lru-cache'
import type { Address } from 'viem'
import type { Database } from '../db/createDatabase.js'
import { SessionExpiredError, UnauthenticatedError } from './errors.js'
import { generateSecret } from './generateSecret.js'
import { hashSecret } from './hashSecret.js'
import type { Principal } from './types.js'

export const sessionTokenPrefix = 'ap_sess_'

type SessionPrincipal = Extract<Principal, { kind: 'session' }>

export type CreateSessionStoreParameters = {
  database: Database
  cache?: {
    /** Sessions kept in memory. Default 50 000. */
    max?: number | undefined
    /** Bytes of sessions kept in memory (estimated). Default 32 MiB. */
    maxBytes?: number | undefined
    /**
     * How long a cached session is trusted before it is read again. Revocations on this instance
     * apply at once; this bounds how late another instance without shared invalidation notices.
     */
    ttlMs?: number | undefined
  }
}

export type CreateSessionParameters = {
  walletAddress: Address
  chainId: number
  domain: string
  uri: string
  siweMessage: string
  signature: string
  expiresAt: Date
  userAgent?: string | undefined
  ipAddress?: string | undefined
}

export type SessionStore = {
  /** Stores a new session and returns its bearer token (shown once, never stored). */
  create(
    parameters: CreateSessionParameters,
    transaction?: Pick<Database['prisma'], 'session'>,
  ): Promise<{ token: string; session: SessionPrincipal }>
  /** The session behind a bearer token: a hash lookup in memory on the hot path. */
  authenticate(token: string): Promise<SessionPrincipal>
  revoke(sessionId: string, reason: string): Promise<boolean>
  /** Ends every session of a wallet (admin). Returns how many were open. */
  revokeWallet(walletAddress: Address, reason: string): Promise<number>
  /** Drops cached sessions of a wallet, e.g. when another instance revoked them. */
  forgetWallet(walletAddress: Address): void
  /** Drops one cached session, e.g. when another instance revoked it. */
  forgetSession(sessionId: string): void
  /** Drops every cached session and refusal (after missing another instance's revocations). */
  forgetAll(): void
  /** Lookups answered from the in-process cache (a cached refusal included) and from the database. */
  stats(): { hits: number; misses: number }
}

export type CreateSessionStoreReturnType = SessionStore

// Refusals are cached too, so bursts of requests with a dead token cost one database read, not
// one each; apart from the sessions, so a flood of made-up tokens cannot push real sessions out,
// and as a word rather than an Error (whose stack would make each entry kilobytes).
type Refusal = 'unknown' | 'revoked'

const refusalErrors = {
  unknown: () => new UnauthenticatedError('Unknown session token. Sign in.'),
  revoked: () => new SessionExpiredError('This session was signed out.'),
} as const

// Ids, a 42-character address and a Date, with their object overhead.
const sessionBytes = (session: SessionPrincipal) => 200 + 2 * (session.sessionId.length + 42)

/** Sessions in the database, fronted by an in-process LRU keyed by the token's hash. */
export function createSessionStore({
  database,
  cache: { max = 50_000, maxBytes = 32 * 1024 * 1024, ttlMs = 30_000 } = {},
}: CreateSessionStoreParameters): CreateSessionStoreReturnType {
  const cache = new LRUCache<string, SessionPrincipal>({
    max,
    maxSize: maxBytes,
    sizeCalculation: sessionBytes,
    ttl: ttlMs,
  })
  const refusals = new LRUCache<string, Refusal>({ max: 10_000, ttl: 5_000 })
  const stats = { hits: 0, misses: 0 }

  function dropWhere(predicate: (entry: SessionPrincipal) => boolean) {
    for (const [key, entry] of cache.entries()) if (predicate(entry)) cache.delete(key)
  }

  return {
    async create(parameters, transaction = database.prisma) {
      const token = generateSecret({ prefix: sessionTokenPrefix })
      const tokenHash = hashSecret(token)
      const row = await transaction.session.create({
        data: {
          tokenHash,
          ...parameters,
          walletAddress: parameters.walletAddress.toLowerCase(),
          userAgent: parameters.userAgent ?? null,
          ipAddress: parameters.ipAddress ?? null,
        },
        select: { id: true, issuedAt: true },
      })
      const session: SessionPrincipal = {
        kind: 'session',
        sessionId: row.id,
        walletAddress: parameters.walletAddress.toLowerCase() as Address,
        chainId: parameters.chainId,
        expiresAt: parameters.expiresAt,
      }
      cache.set(tokenHash, session)
      return { token, session }
    },

    async authenticate(token) {
      if (!token.startsWith(sessionTokenPrefix))
        throw new UnauthenticatedError('The bearer token is not an AccessPoint session token.')
      const tokenHash = hashSecret(token)
      let entry = cache.get(tokenHash)
      const refusal = entry ? undefined : refusals.get(tokenHash)
      if (refusal) {
        stats.hits++
        throw refusalErrors[refusal]()
      }
      if (entry) stats.hits++
      else {
        stats.misses++
        const row = await database.prisma.session.findUnique({
          where: { tokenHash },
          select: {
            id: true,
            walletAddress: true,
            chainId: true,
            expiresAt: true,
            revokedAt: true,
          },
        })
        if (!row || row.revokedAt) {
          const refused: Refusal = row ? 'revoked' : 'unknown'
          refusals.set(tokenHash, refused)
          throw refusalErrors[refused]()
        }
        entry = {
          kind: 'session',
          sessionId: row.id,
          walletAddress: row.walletAddress as Address,
          chainId: row.chainId,
          expiresAt: row.expiresAt,
        }
        cache.set(tokenHash, entry)
      }
      if (entry.expiresAt.getTime() <= Date.now()) {
        cache.delete(tokenHash)
        throw new SessionExpiredError()
      }
      return entry
    },

    async revoke(sessionId, reason) {
      const { count } = await database.prisma.session.updateMany({
        where: { id: sessionId, revokedAt: null },
        data: { revokedAt: new Date(), revokedReason: reason },
      })
      dropWhere((entry) => entry.sessionId === sessionId)
      return count > 0
    },

    async revokeWallet(walletAddress, reason) {
      const address = walletAddress.toLowerCase()
      const { count } = await database.prisma.session.updateMany({
        where: { walletAddress: address, revokedAt: null, expiresAt: { gt: new Date() } },
        data: { revokedAt: new Date(), revokedReason: reason },
      })
      dropWhere((entry) => entry.walletAddress === address)
      return count
    },

    forgetWallet(walletAddress) {
      const address = walletAddress.toLowerCase()
      dropWhere((entry) => entry.walletAddress === address)
    },

    forgetSession(sessionId) {
      dropWhere((entry) => entry.sessionId === sessionId)
    },

    forgetAll() {
      cache.clear()
      refusals.clear()
    },

    stats: () => ({ ...stats }),
  }
}
