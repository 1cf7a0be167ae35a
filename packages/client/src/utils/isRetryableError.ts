import type { ErrorCode } from '@accesspoint/core'
import { BaseError, type ClientErrorCode } from '../errors/base.js'

export type IsRetryableErrorParameters = unknown
export type IsRetryableErrorReturnType = boolean

// Transient by definition: the same request may well succeed a moment later. Anything else
// (bad input, no balance, no role) would fail again, so retrying only adds load.
const retryableCodes: ReadonlySet<ErrorCode | ClientErrorCode> = new Set([
  'RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'CHAIN_UNAVAILABLE',
  'TIMEOUT',
  'NETWORK_ERROR',
])

/** Whether a call that failed with `error` may succeed if simply tried again later. */
export function isRetryableError(error: IsRetryableErrorParameters): IsRetryableErrorReturnType {
  return error instanceof BaseError && retryableCodes.has(error.code)
}
