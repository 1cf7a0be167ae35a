import { isBaseError } from '@accesspoint/core'
import { describeRpcError } from '../access/describeRpcError.js'
import { ProviderTimeoutError, ProviderUnavailableError } from './errors.js'

export type ToProviderNetworkErrorParameters = {
  provider: string
  /** What `fetch` or the body stream threw. */
  error: unknown
}

export type ToProviderNetworkErrorReturnType = ProviderTimeoutError | ProviderUnavailableError

export type ToProviderNetworkErrorErrorType = never

/**
 * Maps a failure to reach a provider or to read its answer: undici's headers and body timeouts
 * become `ProviderTimeoutError`; anything else (refused, reset, DNS, TLS, connect timeout) a
 * retryable `ProviderUnavailableError`. The logged reason has no URLs or host names
 * (`describeRpcError` strips them), since a base URL may embed credentials.
 *
 * Callers check their own abort signal first: an abort is not a network failure.
 */
export function toProviderNetworkError({
  provider,
  error,
}: ToProviderNetworkErrorParameters): ToProviderNetworkErrorReturnType {
  if (isBaseError(error) && (error.code === 'TIMEOUT' || error.code === 'PROVIDER_UNAVAILABLE'))
    return error as ToProviderNetworkErrorReturnType
  const metaMessages = [`Provider: ${provider}`, `Reason: ${describeRpcError(error)}`]
  const code = findCode(error)
  if (code === 'UND_ERR_HEADERS_TIMEOUT')
    return new ProviderTimeoutError(undefined, { provider, phase: 'headers', metaMessages })
  if (code === 'UND_ERR_BODY_TIMEOUT')
    return new ProviderTimeoutError(undefined, { provider, phase: 'body', metaMessages })
  return new ProviderUnavailableError(undefined, {
    provider,
    reason: 'network',
    metaMessages: code ? [...metaMessages, `Code: ${code}`] : metaMessages,
  })
}

// Node's fetch throws `TypeError('fetch failed')` (or 'terminated' mid-body) with the undici or
// socket error, which carries the code, somewhere down the cause chain.
function findCode(error: unknown): string | undefined {
  const seen = new Set<unknown>()
  let current = error
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current)
    const { code, cause } = current as { code?: unknown; cause?: unknown }
    if (typeof code === 'string') return code
    current = cause
  }
  return undefined
}
