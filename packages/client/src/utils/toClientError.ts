import { type ErrorCode, isErrorCode } from '@accesspoint/core'
import { isTRPCClientError } from '@trpc/client'
import { BaseError } from '../errors/base.js'
import { InvalidResponseError, NetworkError } from '../errors/client.js'
import {
  AccessPointError,
  type AccessPointErrorParameters,
  ForbiddenRoleError,
  InsufficientBalanceError,
  InvalidApiKeyError,
  ModelNotFoundError,
  PaymentFailedError,
  ProviderUnavailableError,
  RateLimitedError,
  SessionExpiredError,
  UnauthenticatedError,
} from '../errors/server.js'
import { parseRetryAfter } from './parseRetryAfter.js'

export type ToClientErrorParameters = {
  error: unknown
  /** The server's URL, for network error messages. */
  url: string
}

/**
 * Our error for `error`, or `error` itself when it is not from a call (a wallet's
 * `UserRejectedRequestError`, an `AbortError`): those are already typed by their makers.
 */
export type ToClientErrorReturnType = BaseError | unknown

const subclasses: Partial<
  Record<ErrorCode, new (parameters: AccessPointErrorParameters) => AccessPointError>
> = {
  UNAUTHENTICATED: UnauthenticatedError,
  SESSION_EXPIRED: SessionExpiredError,
  INVALID_API_KEY: InvalidApiKeyError,
  FORBIDDEN_ROLE: ForbiddenRoleError,
  INSUFFICIENT_BALANCE: InsufficientBalanceError,
  PAYMENT_FAILED: PaymentFailedError,
  MODEL_NOT_FOUND: ModelNotFoundError,
  RATE_LIMITED: RateLimitedError,
  PROVIDER_UNAVAILABLE: ProviderUnavailableError,
}

// For answers without our code: a proxy's error page, a server of another version.
const codeByStatus: Record<number, ErrorCode> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN_ROLE',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
  504: 'TIMEOUT',
}

type ResponseLike = { status: number; headers: { get(name: string): string | null } }
type ErrorData = {
  accessPointCode?: unknown
  httpStatus?: unknown
  details?: unknown
  retryAfterSeconds?: unknown
}

/** Turns what a tRPC call threw into this package's typed errors. */
export function toClientError({ error, url }: ToClientErrorParameters): ToClientErrorReturnType {
  if (error instanceof BaseError) return error
  if (!isTRPCClientError(error)) return error
  // Our own errors thrown inside a link (e.g. no EventSource) come back wrapped.
  if (error.cause instanceof BaseError) return error.cause

  const data = (error.data ?? undefined) as ErrorData | undefined
  const response = responseOf(error.meta)
  const status =
    typeof data?.httpStatus === 'number' ? data.httpStatus : (response?.status ?? undefined)
  const parameters: AccessPointErrorParameters = {
    message: error.message,
    status,
    details: typeof data?.details === 'string' ? data.details : undefined,
    // Streams carry the wait in the error (their refusal follows a 200, which has no header).
    retryAfterMs:
      parseRetryAfter({ value: response?.headers.get('retry-after') }) ??
      (typeof data?.retryAfterSeconds === 'number' && data.retryAfterSeconds >= 0
        ? data.retryAfterSeconds * 1000
        : undefined),
    requestId: response?.headers.get('x-request-id') ?? undefined,
    cause: error,
  }
  if (isErrorCode(data?.accessPointCode)) return createError(data.accessPointCode, parameters)

  // No code: either no answer at all, or an answer that is not from AccessPoint.
  if (!response || status === undefined) {
    if (error.shape === undefined && data === undefined)
      return new NetworkError({ url, cause: error })
    return new InvalidResponseError('The server answered without an AccessPoint error code.', {
      cause: error,
    })
  }
  // Gateways answer 502 while the server restarts: that is the network, not the model provider.
  if (status === 502) return new NetworkError({ url, cause: error, status })
  const code = codeByStatus[status] ?? 'INTERNAL'
  return createError(code, { ...parameters, message: undefined })
}

function createError(code: ErrorCode, parameters: AccessPointErrorParameters): AccessPointError {
  const Subclass = subclasses[code]
  return Subclass ? new Subclass(parameters) : new AccessPointError(code, parameters)
}

function responseOf(meta: unknown): ResponseLike | undefined {
  if (typeof meta !== 'object' || meta === null || !('response' in meta)) return undefined
  const response = meta.response as Partial<ResponseLike> | undefined
  return typeof response?.status === 'number' && typeof response.headers?.get === 'function'
    ? (response as ResponseLike)
    : undefined
}
