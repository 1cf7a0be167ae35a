import { isBaseError } from '@accesspoint/core'
import { BillingUnavailableError } from './errors.js'
import type { BillingLogger } from './types.js'

// Helpers shared by the billing functions; not part of the package's API.

/** Warnings and errors to the console, for callers that pass no logger. */
export const consoleLogger: BillingLogger = {
  info: () => {},
  warn: (object, message) => console.warn(message ?? '', object),
  error: (object, message) => console.error(message ?? '', object),
}

/**
 * The PostgreSQL SQLSTATE behind a Prisma error, if any. Raw queries fail with P2010 and carry
 * the driver adapter's error in `meta`; both `pg` and PGlite report `originalCode` there.
 */
export function getSqlState(error: unknown): string | undefined {
  const meta = field(error, 'meta')
  const cause = field(field(meta, 'driverAdapterError'), 'cause')
  const code = field(cause, 'originalCode') ?? field(error, 'code')
  // Prisma's own codes (P1001, P2010…) are not SQLSTATEs; PL/pgSQL's P0001… are.
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^P[1-9]/.test(code)
    ? code
    : undefined
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** The larger of zero and `value`: available balance is never shown below zero. */
export function atLeastZero(value: bigint): bigint {
  return value > 0n ? value : 0n
}

// SQLSTATE classes that mean "this statement is wrong for this data", not "the database is
// down": 22 data exception, 23 integrity violation. Access rules (42501, a revoked grant) and
// everything else may be fixed by an operator, so they count as outages and are retried.
const dataErrorClasses = new Set(['22', '23'])

/** Whether retrying the same statement with the same data can never succeed. */
export function isDataError(error: unknown): boolean {
  const state = getSqlState(error)
  return state !== undefined && dataErrorClasses.has(state.slice(0, 2))
}

/**
 * What a failed billing query becomes for the caller: our own errors and data errors (bugs) as
 * they are; anything else (connection refused, pool timeout, shutdown) means the balance cannot
 * be decided, so the request is refused with SERVICE_UNAVAILABLE (fail closed).
 */
export function toBillingError(error: unknown, operation: string): unknown {
  if (isBaseError(error) || isDataError(error)) return error
  return new BillingUnavailableError({ operation, cause: error })
}
