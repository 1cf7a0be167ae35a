/*
 * Admission: the one atomic check-and-reserve.
 *
 * How: a single SQL statement (one round trip, its own transaction), `placeHolds` with one hold:
 * it locks the pass's row (FOR UPDATE), checks credit − pending − held − debt ≥ hold against
 * the row as locked, and from that one check both raises `held` and INSERTs the HELD ledger
 * row, so both happen or neither. A concurrent admission (on this instance or any other sharing
 * the database) blocks on that lock and, under READ COMMITTED, reads the row as committed by the
 * winner (EvalPlanQual). That is what makes N concurrent requests unable to overdraw the pass:
 * correctness comes from the row lock, not from anything in this process, so it holds across
 * instances without Redis. A duplicate request id fails the INSERT on the primary key, which
 * aborts the whole statement, UPDATE included. The request path batches admissions through
 * `createHoldWriter` (the same statement for many holds); this function is the one-hold form,
 * and where a refusal is explained.
 *
 * Debt (what a settlement could not collect, see settlement/runSettlement) is part of the
 * condition rather than a flag check: a suspended pass is admitted, and un-suspended in the same
 * UPDATE, as soon as the fresh on-chain credit covers its debt as well as the hold. That is how a
 * deposit lifts a suspension, with no job watching deposits; the next settlement collects the
 * debt, which the admitted holds could not eat into.
 *
 * Why not `$transaction(async tx => { SELECT … FOR UPDATE; UPDATE; INSERT })`: same guarantee,
 * but the row lock is held across client round trips (SELECT, UPDATE, INSERT, COMMIT) instead
 * of inside one statement, so a hot pass serialises on round trips, not just on the commit.
 *
 * Measured (`pnpm exec vitest run src/billing/placeHold.test.ts`, "under contention", prints
 * the figures): 200 concurrent placeHold calls on ONE pass funded for 50, Node 20 on 2 vCPU,
 * PostgreSQL 15 on localhost (fsync on) / PGlite in-process: every run exactly 50 admitted, 150
 * refused with INSUFFICIENT_BALANCE, Σ HELD entries = held = credit, and a concurrent watcher
 * never saw held above credit; 350–450 ms on PostgreSQL (one pool or two), 500–650 ms on
 * PGlite. A refusal costs one more round trip (a fresh read for the message). One statement per
 * hold is bounded by its commit (WAL flush): ~1,000–1,700 holds/s over 20 passes on PostgreSQL.
 * The request path does not pay that per request: `createHoldWriter` sends the holds that
 * arrive together as one statement (2,000 holds over 20 passes in 8 statements, ~13,000/s).
 * `synchronous_commit = off` would make single holds cheaper, but a database crash could then
 * lose holds of requests still being served, whose captures would find nothing to charge, so it
 * is not used. (The interactive transaction above measured 2–3× slower once; not kept.)
 *
 * Lock order (with createLedgerWriter, recoverOpenHolds and settlement): LedgerEntry rows by
 * requestId, then Pass rows by id. This statement locks one Pass row and inserts a new entry,
 * which waits only on a concurrent insert of the same request id, so it cannot close a cycle.
 */
import { InvalidInputError, type InvalidInputErrorType, type MicroUsd } from '@accesspoint/core'
import type { Database } from '../db/createDatabase.js'
import {
  type BillingUnavailableErrorType,
  DuplicateRequestError,
  type DuplicateRequestErrorType,
  type InsufficientBalanceErrorType,
  type PassNotFoundErrorType,
  type PaymentFailedErrorType,
} from './errors.js'
import { checkHold, explainRefusedHold, getSqlState, toBillingError } from './internal.js'
import { type PlaceHoldsReturnType, placeHolds } from './placeHolds.js'

export type PlaceHoldParameters = {
  database: Pick<Database, 'prisma' | 'query'>
  /** The ledger key: one request, one entry, at most one charge. */
  requestId: string
  /** Lower-case 0x address; must exist as a Wallet row. */
  walletAddress: string
  pass: {
    id: string
    /** The pass's on-chain credit as the caller just read it (through the access cache). */
    creditMicroUsd: MicroUsd
    /** Its token id, for messages; read from the row when left out. */
    tokenId?: bigint | undefined
  }
  model: string
  /** The ModelPrice version the hold (and later the charge) is computed with. */
  priceId: string
  /** The worst-case cost, from `estimateWorstCase`. */
  holdMicroUsd: MicroUsd
  /**
   * How long the hold may stay open. Longer than any request can run (provider timeout plus
   * streaming): `recoverOpenHolds` releases expired holds, and a capture after that is ignored.
   */
  holdTtlMs: number
  sessionId?: string | undefined
  apiKeyId?: string | undefined
  stream?: boolean | undefined
  /** Milliseconds since the epoch; for tests. */
  now?: number | undefined
}

export type PlaceHoldReturnType = {
  requestId: string
  holdMicroUsd: MicroUsd
  holdExpiresAt: Date
  /** The pass right after this hold; available = credit − pending − held − debt. */
  balance: {
    creditMicroUsd: MicroUsd
    pendingMicroUsd: MicroUsd
    heldMicroUsd: MicroUsd
    availableMicroUsd: MicroUsd
  }
}

export type PlaceHoldErrorType =
  | InvalidInputErrorType
  | InsufficientBalanceErrorType
  | PaymentFailedErrorType
  | DuplicateRequestErrorType
  | PassNotFoundErrorType
  | BillingUnavailableErrorType

// A refusal is re-checked against a fresh read; if the hold fits by then (a hold was released
// in between), admission is tried again rather than refused with numbers that say it fits.
const maxAttempts = 3

/**
 * Reserves `holdMicroUsd` on the pass and writes the HELD ledger entry, atomically, or refuses.
 *
 * @throws {InsufficientBalanceError} credit − pending − held − debt < hold (with both numbers).
 * @throws {PaymentFailedError} credit − pending − held does not cover the debt a settlement
 *   shortfall left (with the amount still to deposit).
 * @throws {DuplicateRequestError} This request id already has an entry (any status).
 * @throws {PassNotFoundError} No Pass row with this id.
 * @throws {BillingUnavailableError} The database did not answer: refuse the request.
 * @throws {InvalidInputError} A negative amount, an empty or over-long request id, a bad TTL.
 */
export async function placeHold(parameters: PlaceHoldParameters): Promise<PlaceHoldReturnType> {
  const { database, requestId, pass, holdMicroUsd } = parameters
  const issues = checkHold(parameters)
  if (issues.length > 0) throw new InvalidInputError('Invalid hold.', { issues })
  const credit = pass.creditMicroUsd
  const holdExpiresAt = new Date((parameters.now ?? Date.now()) + parameters.holdTtlMs)

  for (let attempt = 1; ; attempt++) {
    let admitted: PlaceHoldsReturnType[number] | undefined
    try {
      ;[admitted] = await placeHolds({
        database,
        holds: [{ ...parameters, pass: { id: pass.id, creditMicroUsd: credit }, holdExpiresAt }],
      })
    } catch (error) {
      if (getSqlState(error) === '23505') throw new DuplicateRequestError({ requestId })
      throw toBillingError(error, 'place a hold')
    }
    if (admitted?.admitted)
      return { requestId, holdMicroUsd, holdExpiresAt, balance: admitted.balance }

    const refusal = await explainRefusedHold({ database, pass, holdMicroUsd })
    if (!(refusal.fitsNow && attempt < maxAttempts)) throw refusal.error
  }
}
