import type { Redis } from 'ioredis'
import superjson from 'superjson'
import { type Address, zeroAddress } from 'viem'
import type { CachedFact } from './createFactCache.js'

export type CreateSharedFactStoreParameters = {
  client: Redis
  keyPrefix: string
}

/** What another instance read of one address: its fresh facts and the generation they are of. */
export type SharedFacts = {
  facts: Map<string, CachedFact>
  /**
   * The address's generation when these were read; a write-back under it lands only if no
   * invalidation came in between.
   */
  generation: string
}

/**
 * The second tier of the access cache: facts one instance read from the chain, for every other
 * instance, so N instances make one set of RPC reads per address, not N, and an instance that
 * just started (or lost its entry) does not go to the chain for what another read a moment ago.
 */
export type SharedFactStore = {
  /** The facts stored for the address; undefined when Redis cannot be asked (read the chain). */
  read(chainId: number, address: Address): Promise<SharedFacts | undefined>
  /** Stores the facts unless the address was invalidated since `generation` was read. */
  write(chainId: number, address: Address, generation: string, facts: Map<string, CachedFact>): void
  /** Invalidates the address (its stored facts go, and writes of reads begun before are refused). */
  drop(chainId: number, address: Address): void
  /** Invalidates every address of the chain (it rewound). */
  dropChain(chainId: number): void
}

export type CreateSharedFactStoreReturnType = SharedFactStore

// A generation is "<chain epoch>:<address generation>", counters bumped by every invalidation.
// Reads take it together with the facts (one MGET); a write-back compares and sets in one
// script, so a read that raced an invalidation on any instance can never store what it saw.
const writeScript = `
local current = (redis.call('GET', KEYS[2]) or '0') .. ':' .. (redis.call('GET', KEYS[3]) or '0')
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`

type WithWriteFacts = {
  accessPointWriteFacts(keyCount: number, ...keysAndArgs: (string | number)[]): Promise<number>
}

/** Access facts in Redis, shared by every instance; each call is one round trip. */
export function createSharedFactStore({
  client,
  keyPrefix,
}: CreateSharedFactStoreParameters): CreateSharedFactStoreReturnType {
  const commands = client as Redis & Partial<WithWriteFacts>
  if (!commands.accessPointWriteFacts)
    client.defineCommand('accessPointWriteFacts', { lua: writeScript })
  const redis = client as Redis & WithWriteFacts
  const keys = (chainId: number, address: Address) => {
    const id = `${chainId}:${address.toLowerCase()}`
    return [
      `${keyPrefix}facts:${id}`,
      `${keyPrefix}facts-epoch:${chainId}`,
      `${keyPrefix}facts-generation:${id}`,
    ] as const
  }
  // A failed read costs a chain read, a failed write a second tier that fills later. A drop
  // that cannot be sent would leave facts that are no longer true: the chain's epoch is bumped
  // as soon as Redis is back, which voids everything stored for it before.
  const ignore = () => {}
  const lostDrops = new Set<number>()
  const bumpEpoch = (chainId: number) => {
    if (client.status !== 'ready') {
      lostDrops.add(chainId)
      return
    }
    client.incr(keys(chainId, zeroAddress)[1]).catch(() => lostDrops.add(chainId))
  }
  client.on('ready', () => {
    const chainIds = [...lostDrops]
    lostDrops.clear()
    for (const chainId of chainIds) bumpEpoch(chainId)
  })

  return {
    async read(chainId, address) {
      if (client.status !== 'ready') return undefined
      const [factsKey, epochKey, generationKey] = keys(chainId, address)
      try {
        const [stored, epoch, generation] = await redis.mget(factsKey, epochKey, generationKey)
        const current = `${epoch ?? '0'}:${generation ?? '0'}`
        if (!stored) return { facts: new Map(), generation: current }
        const parsed = superjson.parse<{ generation: string; facts: Map<string, CachedFact> }>(
          stored,
        )
        // Stored under an older generation: an invalidation (or a rewind) came after it.
        return {
          facts: parsed.generation === current ? parsed.facts : new Map(),
          generation: current,
        }
      } catch {
        return undefined
      }
    },
    write(chainId, address, generation, facts) {
      if (client.status !== 'ready' || facts.size === 0) return
      const ttlMs = Math.ceil(
        Math.max(...[...facts.values()].map((fact) => fact.expiresAt)) - Date.now(),
      )
      if (ttlMs <= 0) return
      const [factsKey, epochKey, generationKey] = keys(chainId, address)
      redis
        .accessPointWriteFacts(
          3,
          factsKey,
          epochKey,
          generationKey,
          generation,
          superjson.stringify({ generation, facts }),
          ttlMs,
        )
        .catch(ignore)
    },
    drop(chainId, address) {
      if (client.status !== 'ready') return bumpEpoch(chainId)
      const [factsKey, , generationKey] = keys(chainId, address)
      // The generation outlives any read in progress by far, then goes (an address seen once
      // does not keep a key forever); a read that began under it is long finished.
      client
        .multi()
        .incr(generationKey)
        .pexpire(generationKey, 3_600_000)
        .del(factsKey)
        .exec()
        .catch(() => bumpEpoch(chainId))
    },
    dropChain: bumpEpoch,
  }
}
