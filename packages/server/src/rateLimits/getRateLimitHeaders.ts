import type { RateLimitStatus } from './types.js'

export type GetRateLimitHeadersReturnType =
  | { 'ratelimit-limit': string; 'ratelimit-remaining': string; 'ratelimit-reset': string }
  | undefined

/**
 * The IETF draft `RateLimit-Limit` / `-Remaining` / `-Reset` headers for the tightest of the
 * limits a request was counted against: the one with the fewest requests left (on a tie, the one
 * that resets last, since that is the wait a client would face). Undefined when none applied.
 */
export function getRateLimitHeaders(
  statuses: readonly RateLimitStatus[],
): GetRateLimitHeadersReturnType {
  let tightest: RateLimitStatus | undefined
  for (const status of statuses)
    if (
      !tightest ||
      status.remaining < tightest.remaining ||
      (status.remaining === tightest.remaining && status.resetSeconds > tightest.resetSeconds)
    )
      tightest = status
  if (!tightest) return undefined
  return {
    'ratelimit-limit': String(tightest.limit),
    'ratelimit-remaining': String(tightest.remaining),
    'ratelimit-reset': String(tightest.resetSeconds),
  }
}
