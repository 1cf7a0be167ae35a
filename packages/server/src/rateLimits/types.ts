/** Requests allowed per window. */
export type RateLimitRule = { points: number; windowSeconds: number }

/** Where one limit stands after a request, for the `RateLimit-*` headers. */
export type RateLimitStatus = {
  /** Requests allowed per window. */
  limit: number
  /** Requests left in the current window. */
  remaining: number
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number
}
