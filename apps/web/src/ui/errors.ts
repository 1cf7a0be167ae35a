/** Helpers to read the errors of the AccessPoint client, wagmi/viem and the app alike. */

type ErrorLike = {
  name?: unknown
  code?: unknown
  shortMessage?: unknown
  message?: unknown
  cause?: unknown
  retryAfterMs?: unknown
}

function* chain(error: unknown): Generator<ErrorLike> {
  const seen = new Set<unknown>()
  let current = error
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current)
    yield current as ErrorLike
    current = (current as ErrorLike).cause
  }
}

/** The stable code (`INSUFFICIENT_BALANCE`, `NETWORK_ERROR`, ...), or a name for wallet errors. */
export function errorCode(error: unknown): string {
  if (isUserRejection(error)) return 'USER_REJECTED'
  if (isAbort(error)) return 'ABORTED'
  for (const item of chain(error))
    if (typeof item.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(item.code)) return item.code
  return 'UNKNOWN'
}

/**
 * A sentence for people: the client's and viem's `shortMessage`, else the message. Only the first
 * line: the lines after it (docs links, versions, request ids) are for developers, and the code
 * is shown apart.
 */
export function errorMessage(error: unknown): string {
  if (isUserRejection(error)) return 'The request was rejected in your wallet.'
  const first = chain(error).next().value
  const text =
    typeof first?.shortMessage === 'string' && first.shortMessage
      ? first.shortMessage
      : typeof first?.message === 'string'
        ? first.message
        : typeof error === 'string'
          ? error
          : ''
  return text.split('\n')[0]?.trim() || 'Something went wrong.'
}

/** How long the server asked to wait (`Retry-After`), in ms. */
export function retryAfterMs(error: unknown): number | undefined {
  for (const item of chain(error))
    if (typeof item.retryAfterMs === 'number') return item.retryAfterMs
  return undefined
}

/** The wallet's user said no (EIP-1193 4001, viem's UserRejectedRequestError). */
export function isUserRejection(error: unknown): boolean {
  for (const item of chain(error))
    if (item.name === 'UserRejectedRequestError' || item.code === 4001) return true
  return false
}

export function isAbort(error: unknown): boolean {
  const first = chain(error).next().value
  return first?.name === 'AbortError'
}

/** There is no usable session (it ended, or never was): signing in (again) is the fix. */
export function isSessionError(error: unknown): boolean {
  const code = errorCode(error)
  return code === 'SESSION_EXPIRED' || code === 'UNAUTHENTICATED' || code === 'SIGN_IN_REQUIRED'
}

/** The pass cannot pay: too little available, or suspended after a failed settlement. */
export function isBalanceError(error: unknown): boolean {
  const code = errorCode(error)
  return code === 'INSUFFICIENT_BALANCE' || code === 'PAYMENT_FAILED'
}
