export type ParseRetryAfterParameters = {
  headers: Headers
  /** @default Date.now() */
  now?: number | undefined
}

/** Whole seconds to wait, at least 0; `undefined` when no header says. */
export type ParseRetryAfterReturnType = number | undefined

export type ParseRetryAfterErrorType = never

/** Longer waits are treated as "unknown": a client should not be told to wait a day. */
const maxSeconds = 3_600

/**
 * How long a provider asked us to wait: `retry-after-ms` (OpenAI's, more precise) or
 * `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), rounded up to whole seconds.
 */
export function parseRetryAfter({
  headers,
  now = Date.now(),
}: ParseRetryAfterParameters): ParseRetryAfterReturnType {
  const milliseconds = Number(headers.get('retry-after-ms') ?? Number.NaN)
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return clamp(milliseconds / 1_000)
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return clamp(Number(value))
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : clamp(Math.max(0, date - now) / 1_000)
}

function clamp(seconds: number): number | undefined {
  return seconds > maxSeconds ? undefined : Math.ceil(seconds)
}
