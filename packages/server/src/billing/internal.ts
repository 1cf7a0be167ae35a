import type { MicroUsd } from '@accesspoint/core'
import { isBaseError } from '@accesspoint/core'
import type { Database } from '../db/createDatabase.js'
import {
  BillingUnavailableError,
  InsufficientBalanceError,
  PassNotFoundError,
  PaymentFailedError,
} from './errors.js'
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

/** What is wrong with a hold before it reaches SQL (a negative hold would raise the balance). */
export function checkHold(hold: {
  requestId: unknown
  holdMicroUsd: unknown
  pass: { creditMicroUsd: unknown }
  holdTtlMs: unknown
}): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = []
  const { requestId, holdMicroUsd, pass, holdTtlMs } = hold
  if (typeof requestId !== 'string' || requestId.length < 1 || requestId.length > 128)
    issues.push({ path: 'requestId', message: 'expected 1 to 128 characters' })
  if (typeof holdMicroUsd !== 'bigint' || holdMicroUsd < 0n)
    issues.push({ path: 'holdMicroUsd', message: 'expected a non-negative bigint of micro-USD' })
  if (typeof pass.creditMicroUsd !== 'bigint' || pass.creditMicroUsd < 0n)
    issues.push({
      path: 'pass.creditMicroUsd',
      message: 'expected a non-negative bigint of micro-USD',
    })
  if (!Number.isSafeInteger(holdTtlMs) || (holdTtlMs as number) <= 0)
    issues.push({ path: 'holdTtlMs', message: 'expected a positive integer of milliseconds' })
  return issues
}

/**
 * Why a hold was refused, from a fresh read of the pass: the error to give the caller (with the
 * numbers, or what a suspended pass still owes), and whether the hold fits by now (a hold was
 * released in between), in which case the caller tries again rather than refuse with numbers
 * that say it fits.
 */
export async function explainRefusedHold({
  database,
  pass,
  holdMicroUsd,
}: {
  database: Pick<Database, 'prisma'>
  pass: { id: string; creditMicroUsd: MicroUsd; tokenId?: bigint | undefined }
  holdMicroUsd: MicroUsd
}): Promise<{ fitsNow: boolean; error: Error }> {
  const current = await database.prisma.pass
    .findUnique({
      where: { id: pass.id },
      select: { tokenId: true, pendingMicroUsd: true, heldMicroUsd: true, debtMicroUsd: true },
    })
    .catch((error: unknown) => {
      throw toBillingError(error, 'read a pass')
    })
  if (!current) return { fitsNow: false, error: new PassNotFoundError({ passId: pass.id }) }
  const tokenId = pass.tokenId ?? BigInt(current.tokenId.toFixed())
  const covering = pass.creditMicroUsd - current.pendingMicroUsd - current.heldMicroUsd
  if (current.debtMicroUsd > 0n && covering < current.debtMicroUsd)
    return {
      fitsNow: false,
      error: new PaymentFailedError({
        debtMicroUsd: current.debtMicroUsd,
        amountDueMicroUsd: current.debtMicroUsd - covering,
        neededMicroUsd: holdMicroUsd,
        tokenId,
      }),
    }
  const available = covering - current.debtMicroUsd
  return {
    fitsNow: available >= holdMicroUsd,
    error: new InsufficientBalanceError({
      neededMicroUsd: holdMicroUsd,
      availableMicroUsd: atLeastZero(available),
      tokenId,
    }),
  }
}
