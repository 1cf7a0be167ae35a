import type { BucketOutcome, RateLimitRule } from './types.js'

export type TakeTokensParameters = {
  /**
   * Each bucket's theoretical arrival time (GCRA): when it would be full again, in ms; absent
   * or past means full.
   */
  arrivals: readonly (number | undefined)[]
  rules: readonly RateLimitRule[]
  now: number
}

export type TakeTokensReturnType = {
  outcomes: BucketOutcome[]
  /** The arrival times to store, when every bucket allowed the request; else nothing changes. */
  next: number[] | undefined
}

/**
 * One request against several token buckets, all or none, in GCRA form (the generic cell rate
 * algorithm: a token bucket kept as one timestamp per key, so a shared store needs one value and
 * one atomic step per bucket). `createRedisTokenBuckets` runs the same steps in a Lua script.
 */
export function takeTokens({ arrivals, rules, now }: TakeTokensParameters): TakeTokensReturnType {
  const outcomes: BucketOutcome[] = []
  const next: number[] = []
  let allowed = true
  rules.forEach((rule, index) => {
    const windowMs = rule.windowSeconds * 1000
    const interval = windowMs / rule.points
    const arrival = Math.max(arrivals[index] ?? now, now)
    const after = arrival + interval
    // The bucket holds `points` tokens: it may run at most a window ahead of now.
    const earliest = after - windowMs
    if (now < earliest) {
      allowed = false
      outcomes.push({
        allowed: false,
        remaining: 0,
        resetMs: arrival - now,
        retryAfterMs: earliest - now,
      })
    } else {
      outcomes.push({
        allowed: true,
        remaining: Math.floor((now - earliest) / interval),
        resetMs: after - now,
        retryAfterMs: 0,
      })
    }
    next.push(after)
  })
  if (allowed) return { outcomes, next }
  // Nothing was taken: the buckets that had a token still have it.
  return {
    outcomes: outcomes.map((outcome, index) =>
      outcome.allowed
        ? {
            ...outcome,
            remaining: outcome.remaining + 1,
            resetMs: Math.max(0, (arrivals[index] ?? now) - now),
          }
        : outcome,
    ),
    next: undefined,
  }
}
