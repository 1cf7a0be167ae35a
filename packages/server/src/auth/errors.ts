import { BaseError, type BaseErrorParameters } from '@accesspoint/core'

type Parameters = Omit<BaseErrorParameters, 'code' | 'name'>

export type UnauthenticatedErrorType = UnauthenticatedError & { name: 'UnauthenticatedError' }

/** No credentials, or credentials that are not ours (wrong scheme, unknown token). */
export class UnauthenticatedError extends BaseError {
  declare readonly code: 'UNAUTHENTICATED'
  constructor(shortMessage?: string, args: Parameters = {}) {
    super(shortMessage ?? '', {
      docsPath: '/auth#sessions',
      ...args,
      code: 'UNAUTHENTICATED',
      name: 'UnauthenticatedError',
    })
  }
}

export type SessionExpiredErrorType = SessionExpiredError & { name: 'SessionExpiredError' }

/** The session existed but is over: expired, signed out or revoked. The client signs in again. */
export class SessionExpiredError extends BaseError {
  declare readonly code: 'SESSION_EXPIRED'
  constructor(shortMessage?: string, args: Parameters = {}) {
    super(shortMessage ?? '', {
      docsPath: '/auth#sessions',
      ...args,
      code: 'SESSION_EXPIRED',
      name: 'SessionExpiredError',
    })
  }
}

export type InvalidSignatureErrorType = InvalidSignatureError & { name: 'InvalidSignatureError' }

/** The SIWE signature does not come from the message's address (EOA, EIP-1271 or EIP-6492). */
export class InvalidSignatureError extends BaseError {
  declare readonly code: 'INVALID_SIGNATURE'
  constructor(shortMessage?: string, args: Parameters = {}) {
    super(shortMessage ?? '', {
      docsPath: '/auth#sign-in',
      ...args,
      code: 'INVALID_SIGNATURE',
      name: 'InvalidSignatureError',
    })
  }
}

export type InvalidApiKeyErrorType = InvalidApiKeyError & { name: 'InvalidApiKeyError' }

/** An API key that is malformed, unknown, revoked or expired. */
export class InvalidApiKeyError extends BaseError {
  declare readonly code: 'INVALID_API_KEY'
  constructor(shortMessage?: string, args: Parameters = {}) {
    super(shortMessage ?? '', {
      docsPath: '/auth#api-keys',
      ...args,
      code: 'INVALID_API_KEY',
      name: 'InvalidApiKeyError',
    })
  }
}

export type ForbiddenRoleErrorType = ForbiddenRoleError & { name: 'ForbiddenRoleError' }

/** The wallet is known but holds none of the roles a procedure needs. */
export class ForbiddenRoleError extends BaseError {
  declare readonly code: 'FORBIDDEN_ROLE'
  readonly requiredRoles: readonly string[]
  constructor(
    shortMessage: string,
    { requiredRoles = [], ...args }: Parameters & { requiredRoles?: readonly string[] } = {},
  ) {
    super(shortMessage, {
      docsPath: '/auth#roles',
      ...args,
      code: 'FORBIDDEN_ROLE',
      name: 'ForbiddenRoleError',
    })
    this.requiredRoles = requiredRoles
  }
}

export type RateLimitedErrorType = RateLimitedError & { name: 'RateLimitedError' }

/** Too many attempts; `retryAfterSeconds` goes out as the `Retry-After` header. */
export class RateLimitedError extends BaseError {
  declare readonly code: 'RATE_LIMITED'
  readonly retryAfterSeconds: number
  constructor(
    shortMessage: string,
    { retryAfterSeconds, ...args }: Parameters & { retryAfterSeconds: number },
  ) {
    super(shortMessage, {
      details: `Retry after ${retryAfterSeconds} s.`,
      ...args,
      code: 'RATE_LIMITED',
      name: 'RateLimitedError',
    })
    this.retryAfterSeconds = retryAfterSeconds
  }
}
