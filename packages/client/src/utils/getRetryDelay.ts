export type RetryOptions = {
  /** Tries in all, the first included. @default 3 */
  attempts?: number | undefined
  /** The first backoff step; it doubles on each retry. @default 250 */
  baseDelayMs?: number | undefined
  /**
   * The longest wait between tries. A `Retry-After` longer than this is not waited out: the
   * error is thrown at once, with `retryAfterMs`, so a bot can decide what to do. @default 30_000
   */
  maxDelayMs?: number | undefined
}

export type GetRetryDelayParameters = RetryOptions & {
  /** Retries already made (0 before the first retry). */
  retry: number
  /** What the server asked for (`Retry-After`), when it did. */
  retryAfterMs?: number | undefined
  /** `Math.random` by default; tests pass their own. */
  random?: (() => number) | undefined
}

/** Milliseconds to wait before the next try, or undefined when there should be none. */
export type GetRetryDelayReturnType = number | undefined

export type ResolvedRetryOptions = { attempts: number; baseDelayMs: number; maxDelayMs: number }

export const defaultRetryOptions: ResolvedRetryOptions = {
  attempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
}

/**
 * Exponential backoff with full jitter (a uniform wait up to `base × 2^retry`, capped), so
 * many clients failing together do not retry together. A `Retry-After` is honoured as a floor,
 * plus a little jitter for the same reason.
 */
export function getRetryDelay({
  retry,
  retryAfterMs,
  attempts = defaultRetryOptions.attempts,
  baseDelayMs = defaultRetryOptions.baseDelayMs,
  maxDelayMs = defaultRetryOptions.maxDelayMs,
  random = Math.random,
}: GetRetryDelayParameters): GetRetryDelayReturnType {
  if (retry + 1 >= attempts) return undefined
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > maxDelayMs) return undefined
    return Math.min(maxDelayMs, retryAfterMs + Math.floor(random() * baseDelayMs))
  }
  return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** retry))
}
