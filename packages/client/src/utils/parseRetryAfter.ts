export type ParseRetryAfterParameters = {
  /** The `Retry-After` header as received. */
  value: string | null | undefined
  /** For HTTP dates; `Date.now()` by default. */
  now?: number | undefined
}

/** Milliseconds to wait, or undefined when there is no usable header. */
export type ParseRetryAfterReturnType = number | undefined

/**
 * Reads `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. A date in the past
 * means "now" (0); anything else unreadable is ignored rather than trusted.
 */
export function parseRetryAfter({
  value,
  now = Date.now(),
}: ParseRetryAfterParameters): ParseRetryAfterReturnType {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // An HTTP date names its weekday and month; Date.parse alone would accept "-1" as a year.
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
