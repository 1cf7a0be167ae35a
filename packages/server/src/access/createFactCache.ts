import { LRUCache } from 'lru-cache'
import type { Address } from 'viem'
import type { AccessFactValue } from './types.js'

export type CachedFact = { value: AccessFactValue; expiresAt: number }

/**
 * Everything cached about one address on one chain. A record is replaced, never emptied, when
 * the address is invalidated, so a read that began before can tell, by identity, that what it
 * read may be stale and must not be stored (see {@link FactCache.isCurrent}).
 */
export type FactRecord = {
  /** By fact key (see `getFactKey`). */
  readonly facts: Map<string, CachedFact>
  /** The read in progress for this record, shared by concurrent callers (single flight). */
  inflight: Promise<Map<string, AccessFactValue>> | undefined
}

export type CreateFactCacheParameters = {
  /** Most (chain, address) records kept; the least recently used go first. */
  maxEntries: number
  /** Most bytes of records kept, as estimated by `measure`. Default: no bound but entries. */
  maxBytes?: number | undefined
}

export type FactCache = {
  /** The current record for the address on the chain, created empty if there is none. */
  record(chainId: number, address: Address): FactRecord
  /**
   * Re-weighs a current record after facts were added to it (a record starts empty), so the
   * byte bound sees what it holds; may evict others, or the record itself if it alone is too big.
   */
  measure(chainId: number, address: Address, record: FactRecord): void
  /** Whether `record` is still current: not invalidated, dropped or evicted since it was taken. */
  isCurrent(chainId: number, address: Address, record: FactRecord): boolean
  /** Forgets the address on the chain; returns whether anything was cached. */
  drop(chainId: number, address: Address): boolean
  /** Forgets every address on the chain (e.g. after the chain rewound). */
  dropChain(chainId: number): void
  clear(): void
  /** Remembers who owns a pass, so an event naming only its token id reaches the owner. */
  setOwner(chainId: number, contract: Address, tokenId: bigint, owner: Address): void
  ownerOf(chainId: number, contract: Address, tokenId: bigint): Address | undefined
  readonly size: number
}

export type CreateFactCacheReturnType = FactCache

export type CreateFactCacheErrorType = never

/**
 * The resolver's fact store: an LRU of per-(chain, address) records, bounded in entries, plus a
 * token id → owner index for pass events. Expiry is checked by the reader, per fact, because
 * ownership and roles have different TTLs and a fresh fact must still be served when the
 * chain is down.
 */
export function createFactCache({
  maxEntries,
  maxBytes,
}: CreateFactCacheParameters): CreateFactCacheReturnType {
  const records = new LRUCache<string, FactRecord>({
    max: maxEntries,
    ...(maxBytes ? { maxSize: maxBytes, sizeCalculation: recordBytes } : {}),
  })
  // Holders often have a few passes; sized so the index outlives the records it serves.
  const owners = new LRUCache<string, Address>({ max: maxEntries * 4 })

  const recordKey = (chainId: number, address: Address) => `${chainId}:${address.toLowerCase()}`
  const tokenKey = (chainId: number, contract: Address, tokenId: bigint) =>
    `${chainId}:${contract.toLowerCase()}:${tokenId}`

  return {
    record(chainId, address) {
      const key = recordKey(chainId, address)
      let record = records.get(key)
      if (!record) {
        record = { facts: new Map(), inflight: undefined }
        records.set(key, record)
      }
      return record
    },
    measure(chainId, address, record) {
      const key = recordKey(chainId, address)
      if (!maxBytes || records.peek(key) !== record) return
      // lru-cache weighs a value when it is set, and setting the same value again keeps the old
      // weight: take it out and put it back (the same object, so it stays current).
      records.delete(key)
      records.set(key, record)
    },
    isCurrent(chainId, address, record) {
      return records.peek(recordKey(chainId, address)) === record
    },
    drop(chainId, address) {
      const key = recordKey(chainId, address)
      const had = (records.peek(key)?.facts.size ?? 0) > 0
      records.delete(key)
      return had
    },
    dropChain(chainId) {
      const prefix = `${chainId}:`
      for (const key of [...records.keys()]) if (key.startsWith(prefix)) records.delete(key)
    },
    clear() {
      records.clear()
      owners.clear()
    },
    setOwner(chainId, contract, tokenId, owner) {
      owners.set(tokenKey(chainId, contract, tokenId), owner)
    },
    ownerOf(chainId, contract, tokenId) {
      return owners.get(tokenKey(chainId, contract, tokenId))
    },
    get size() {
      return records.size
    },
  }
}

// Rough bytes of a record: map entries, keys, and each pass a held list carries (a wallet with
// thousands of passes is the case the byte bound is for).
function recordBytes(record: FactRecord): number {
  let bytes = 200
  for (const [key, fact] of record.facts) {
    bytes += 120 + 2 * key.length
    if (Array.isArray(fact.value)) bytes += 150 * fact.value.length
  }
  return bytes
}
