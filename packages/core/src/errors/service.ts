import { BaseError, type BaseErrorParameters } from './base.js'
import { errorCodes } from './codes.js'

export type ServiceUnavailableErrorParameters = Omit<BaseErrorParameters, 'code' | 'name'>

export type ServiceUnavailableErrorType = ServiceUnavailableError & {
  name: 'ServiceUnavailableError'
}

/**
 * A dependency needed to decide authentication, roles or balance (database, RPC, cache) is
 * down. Callers must refuse the request with this error rather than let it through.
 */
export class ServiceUnavailableError extends BaseError {
  declare readonly code: 'SERVICE_UNAVAILABLE'

  constructor(
    shortMessage: string = errorCodes.SERVICE_UNAVAILABLE.message,
    args: ServiceUnavailableErrorParameters = {},
  ) {
    super(shortMessage, { ...args, code: 'SERVICE_UNAVAILABLE', name: 'ServiceUnavailableError' })
  }
}

export type InternalErrorParameters = Omit<BaseErrorParameters, 'code' | 'name'>

export type InternalErrorType = InternalError & { name: 'InternalError' }

/**
 * An unexpected failure, usually wrapping an unknown `cause`. Its client message stays generic
 * because the cause may describe internals.
 */
export class InternalError extends BaseError {
  declare readonly code: 'INTERNAL'

  constructor(
    shortMessage: string = errorCodes.INTERNAL.message,
    args: InternalErrorParameters = {},
  ) {
    super(shortMessage, { ...args, code: 'INTERNAL', name: 'InternalError' })
  }
}
