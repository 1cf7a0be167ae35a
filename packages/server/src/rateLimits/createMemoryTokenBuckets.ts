import { LRUCache } from 'lru-cache'
import { takeTokens } from './takeTokens.js'
import type { TokenBuckets } from './types.js'

export type CreateMemoryTokenBucketsParameters = {
  /**
   * Most buckets kept. A bucket that is dropped comes back full, so this only needs to hold the
   * clients active within a window; each entry is a key and a number (~150 bytes).
   */
  maxKeys?: number | undefined
  now?: (() => number) | undefined
}

export type CreateMemoryTokenBucketsReturnType = TokenBuckets

/** Token buckets in this process: the embedded default, and the fallback while Redis is away. */
export function createMemoryTokenBuckets({
  maxKeys = 100_000,
  now = Date.now,
}: CreateMemoryTokenBucketsParameters = {}): CreateMemoryTokenBucketsReturnType {
  // A bucket that is full again is the same as no bucket, so entries expire then.
  const arrivals = new LRUCache<string, number>({ max: maxKeys, ttlAutopurge: false })
  return {
    async take(requests) {
      const at = now()
      const { outcomes, next } = takeTokens({
        arrivals: requests.map((request) => arrivals.get(request.key)),
        rules: requests.map((request) => request.rule),
        now: at,
      })
      if (next)
        requests.forEach((request, index) => {
          const arrival = next[index] as number
          arrivals.set(request.key, arrival, { ttl: Math.max(1, Math.ceil(arrival - at)) })
        })
      return outcomes
    },
  }
}
