/**
 * A token bucket: `points` requests at once (the burst), refilled at `points` per
 * `windowSeconds`, one token every `windowSeconds / points` s. So a client that paces itself
 * never waits, and one that was refused waits for one token, not a whole window.
 */
export type RateLimitRule = { points: number; windowSeconds: number }

/** Where one limit stands after a request, for the `RateLimit-*` headers. */
export type RateLimitStatus = {
  /** The bucket's size: requests allowed at once, and per window. */
  limit: number
  /** Requests that could be made right now. */
  remaining: number
  /** Seconds until the bucket is full again (at least 1). */
  resetSeconds: number
}

/** One bucket a request takes a token from. */
export type BucketRequest = { key: string; rule: RateLimitRule }

/** What one bucket said. */
export type BucketOutcome = {
  /** Whether this bucket had a token; the request passes only when every bucket had one. */
  allowed: boolean
  /** Tokens left after this request (0 when refused). */
  remaining: number
  /** Milliseconds until the bucket is full again. */
  resetMs: number
  /** Milliseconds until this bucket has a token again (0 when allowed). */
  retryAfterMs: number
}

/**
 * Token buckets, taken from all or none: when any bucket of a request is empty, no bucket
 * spends a token, so a request refused by its wallet's limit does not also use up its API key's.
 */
export type TokenBuckets = {
  take(requests: readonly BucketRequest[]): Promise<BucketOutcome[]>
}
