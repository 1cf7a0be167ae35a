import type { BaseError } from './base.js'

// A registered symbol is the same value in every copy of this package and in every realm, so
// the brand recognises errors that `instanceof` would miss. `BaseError` sets it on its prototype.
export const baseErrorBrand = Symbol.for('@accesspoint/core/BaseError')

/**
 * Whether `error` is a {@link BaseError}, including one from another copy of this package or
 * another realm (worker, iframe), where `instanceof` fails.
 */
export function isBaseError(error: unknown): error is BaseError {
  if (typeof error !== 'object' || error === null || !(baseErrorBrand in error)) return false
  return (error as Record<symbol, unknown>)[baseErrorBrand] === true
}
