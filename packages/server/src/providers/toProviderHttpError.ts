import { ModelNotFoundError, ProviderError, ProviderUnavailableError } from './errors.js'
import { parseRetryAfter } from './parseRetryAfter.js'
import { redactSecrets } from './redactSecrets.js'

export type ToProviderHttpErrorParameters = {
  /** Configured provider name. */
  provider: string
  /** The provider's model id that was requested. */
  model: string
  status: number
  headers: Headers
  /** The response body (or its start). */
  body: string
  /** Strings to blank out of everything kept, such as the API key. */
  secrets?: readonly string[] | undefined
}

export type ToProviderHttpErrorReturnType =
  | ProviderError
  | ProviderUnavailableError
  | ModelNotFoundError

export type ToProviderHttpErrorErrorType = never

/** Upstream messages kept for logs are cut to this many characters. */
const maxUpstreamMessage = 500

/**
 * Maps a provider's non-2xx answer to our errors:
 *
 * - 401 / 403 → `ProviderError`: the operator's key is wrong; retrying cannot help. The upstream
 *   message is dropped entirely, since OpenAI echoes part of the key in it.
 * - 404 naming a model → `ModelNotFoundError` (the configured model id is not served there);
 *   any other 404 → `ProviderError` (usually a wrong base URL).
 * - 429 → retryable `ProviderUnavailableError` with `Retry-After`, except OpenAI's
 *   `insufficient_quota`, which lasts until someone pays: a `ProviderError`.
 * - 408, 409, 5xx (Anthropic's 529 "overloaded" included) → retryable `ProviderUnavailableError`,
 *   the statuses the official SDKs retry.
 * - Any other status → `ProviderError`.
 *
 * Upstream detail (type, code, message, request id) goes into `metaMessages`, with `secrets` and
 * anything shaped like a key removed; `details`, which clients see, is composed here.
 */
export function toProviderHttpError({
  provider,
  model,
  status,
  headers,
  body,
  secrets = [],
}: ToProviderHttpErrorParameters): ToProviderHttpErrorReturnType {
  const upstream = readErrorBody(body)
  const requestId = headers.get('x-request-id') ?? headers.get('request-id')
  const label = [upstream.type, upstream.code].filter(Boolean).join(' / ')
  const credentials = status === 401 || status === 403
  const metaMessages = [
    `Provider: ${provider}`,
    `Model: ${model}`,
    `Upstream status: ${status}`,
    ...(label ? [`Upstream error: ${redactSecrets({ text: label, secrets })}`] : []),
    ...(upstream.message && !credentials
      ? [
          `Upstream message: ${redactSecrets({ text: upstream.message, secrets }).slice(0, maxUpstreamMessage)}`,
        ]
      : []),
    ...(requestId ? [`Upstream request id: ${redactSecrets({ text: requestId, secrets })}`] : []),
  ]
  const common = { provider, upstreamStatus: status, metaMessages }

  if (credentials)
    return new ProviderError("The AI provider rejected this server's credentials.", {
      ...common,
      details: `Provider '${provider}' refused the configured API key (HTTP ${status}); the operator must fix it.`,
    })
  if (status === 404 && /model/i.test(`${upstream.type} ${upstream.code} ${upstream.message}`))
    return new ModelNotFoundError(undefined, { model, provider, metaMessages })
  if (status === 429 && `${upstream.type} ${upstream.code}`.includes('insufficient_quota'))
    return new ProviderError('The AI provider account has run out of credit.', {
      ...common,
      details: `Provider '${provider}' refused the request for lack of quota (HTTP 429); the operator must top it up.`,
    })
  if (status === 429 || status === 408 || status === 409 || status >= 500)
    return new ProviderUnavailableError(undefined, {
      ...common,
      reason: status === 429 ? 'rate-limited' : 'upstream',
      retryAfterSeconds: parseRetryAfter({ headers }),
    })
  return new ProviderError(undefined, {
    ...common,
    details: `Provider '${provider}' rejected the request (HTTP ${status}).`,
  })
}

type UpstreamError = { type: string; code: string; message: string }

// OpenAI: { error: { message, type, code } }; Anthropic: { type: 'error', error: { type,
// message } }; compatible servers: any of these, { error: '…' } or { message: '…' }, or HTML.
function readErrorBody(body: string): UpstreamError {
  const text = (value: unknown) =>
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { type: '', code: '', message: body.trim() }
  }
  if (typeof json !== 'object' || json === null) return { type: '', code: '', message: '' }
  const root = json as Record<string, unknown>
  const error = root.error
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>
    return { type: text(record.type), code: text(record.code), message: text(record.message) }
  }
  return { type: '', code: text(root.code), message: text(error) || text(root.message) }
}
