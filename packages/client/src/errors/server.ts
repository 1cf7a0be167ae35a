import { type ErrorCode, errorCodes } from '@accesspoint/core'
import { BaseError } from './base.js'

export type AccessPointErrorParameters = {
  /** The server's sentence; the code's default message when left out. */
  message?: string | undefined
  /** The HTTP status the server answered with; the code's own status when left out. */
  status?: number | undefined
  details?: string | undefined
  /** How long the server asked us to wait (`Retry-After`), in milliseconds. */
  retryAfterMs?: number | undefined
  /** The server's `X-Request-Id`, to quote when asking the operator about this error. */
  requestId?: string | undefined
  cause?: unknown
}

export type AccessPointErrorType = AccessPointError & { name: 'AccessPointError' }

/**
 * An error the AccessPoint server answered with. `code` is its stable code from
 * `@accesspoint/core` (`errorCodes`); branch on it, or on the subclasses below for the common
 * cases, never on the message.
 */
export class AccessPointError extends BaseError {
  declare readonly code: ErrorCode
  declare readonly status: number
  readonly retryAfterMs: number | undefined
  readonly requestId: string | undefined

  constructor(code: ErrorCode, parameters: AccessPointErrorParameters = {}, name?: string) {
    const { message, status, details, retryAfterMs, requestId, cause } = parameters
    super(message || errorCodes[code].message, {
      code,
      status: status ?? errorCodes[code].status,
      details,
      cause,
      docsPath: `/errors#${code.toLowerCase().replaceAll('_', '-')}`,
      metaMessages: [
        `Code: ${code}`,
        ...(retryAfterMs === undefined ? [] : [`Retry after: ${retryAfterMs} ms`]),
        ...(requestId ? [`Request id: ${requestId}`] : []),
      ],
      name: name ?? 'AccessPointError',
    })
    this.retryAfterMs = retryAfterMs
    this.requestId = requestId
  }
}

export type UnauthenticatedErrorType = UnauthenticatedError & { name: 'UnauthenticatedError' }

/** No valid credential: no session or API key was sent, or the server does not know it. */
export class UnauthenticatedError extends AccessPointError {
  declare readonly code: 'UNAUTHENTICATED'
  constructor(parameters: AccessPointErrorParameters = {}) {
    super('UNAUTHENTICATED', parameters, 'UnauthenticatedError')
  }
}

export type SessionExpiredErrorType = SessionExpiredError & { name: 'SessionExpiredError' }

/**
 * The session ended (expired, signed out, or revoked by an admin). The client signs in again
 * by itself once per call; you see this only when that did not help.
 */
export class SessionExpiredError extends AccessPointError {
  declare readonly code: 'SESSION_EXPIRED'
  constructor(parameters: AccessPointErrorParameters = {}) {
    super('SESSION_EXPIRED', parameters, 'SessionExpiredError')
  }
}

export type InvalidApiKeyErrorType = InvalidApiKeyError & { name: 'InvalidApiKeyError' }

/** The API key is unknown, revoked or expired. */
export class InvalidApiKeyError extends AccessPointError {
  declare readonly code: 'INVALID_API_KEY'
  constructor(parameters: AccessPointErrorParameters = {}) {
    super('INVALID_API_KEY', parameters, 'InvalidApiKeyError')
  }
}

export type ForbiddenRoleErrorType = ForbiddenRoleError & { name: 'ForbiddenRoleError' }

/** The wallet holds no role that allows the call (e.g. it sold its pass). */
export class ForbiddenRoleError extends AccessPointError {
  declare readonly code: 'FORBIDDEN_ROLE'
  constructor(parameters: AccessPointErrorParameters = {}) {
    super('FORBIDDEN_ROLE', parameters, 'ForbiddenRoleError')
  }
}

export type InsufficientBalanceErrorType = InsufficientBalanceError & {
  name: 'InsufficientBalanceError'
}

/** The pass's available balance cannot cover even a short answer to this request. */
export class InsufficientBalanceError extends AccessPointError {
  declare readonly code: 'INSUFFICIENT_BALANCE'
  constructor(parameters: AccessPointErrorParameters = {}) {
    super('INSUFFICIENT_BALANCE', parameters, 'InsufficientBalanceError')
  }
}

export type PaymentFailedErrorType = PaymentFailedError & { name: 'PaymentFailedError' }

/** Access is suspended until a failed settlement is paid (top up the pass). */
export class PaymentFailedError extends AccessPointError {
  declare readonly code: 'PAYMENT_FAILED'
  constructor(parameters: AccessPointErrorParameters = {}) {
    super('PAYMENT_FAILED', parameters, 'PaymentFailedError')
  }
}

export type ModelNotFoundErrorType = ModelNotFoundError & { name: 'ModelNotFoundError' }

/** The model does not exist or the caller's roles may not use it; `details` lists the models. */
export class ModelNotFoundError extends AccessPointError {
  declare readonly code: 'MODEL_NOT_FOUND'
  constructor(parameters: AccessPointErrorParameters = {}) {
    super('MODEL_NOT_FOUND', parameters, 'ModelNotFoundError')
  }
}

export type RateLimitedErrorType = RateLimitedError & { name: 'RateLimitedError' }

/** Too many requests; `retryAfterMs` says when to try again. Retried by the client first. */
export class RateLimitedError extends AccessPointError {
  declare readonly code: 'RATE_LIMITED'
  constructor(parameters: AccessPointErrorParameters = {}) {
    super('RATE_LIMITED', parameters, 'RateLimitedError')
  }
}

export type ProviderUnavailableErrorType = ProviderUnavailableError & {
  name: 'ProviderUnavailableError'
}

/** The model provider is down (circuit open); `retryAfterMs` says when to try again. */
export class ProviderUnavailableError extends AccessPointError {
  declare readonly code: 'PROVIDER_UNAVAILABLE'
  constructor(parameters: AccessPointErrorParameters = {}) {
    super('PROVIDER_UNAVAILABLE', parameters, 'ProviderUnavailableError')
  }
}
