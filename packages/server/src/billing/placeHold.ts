/*
 * Admission: the one atomic check-and-reserve.
 *
 * How: a single SQL statement (one round trip, its own transaction). A data-modifying CTE runs
 *   UPDATE "Pass" SET held += hold, credit = $credit, suspendedAt = NULL
 *     WHERE id = $id AND $credit − pending − held − debt ≥ hold RETURNING …
 * and INSERTs the HELD ledger row only from the UPDATE's RETURNING, so both happen or neither.
 * The UPDATE takes the pass's row lock; a concurrent admission (on this instance or any other
 * sharing the database) blocks on that lock and, under READ COMMITTED, re-evaluates the WHERE
 * against the row as committed by the winner (EvalPlanQual). That re-check is what makes N
 * concurrent requests unable to overdraw the pass: correctness comes from the row lock, not
 * from anything in this process, so it holds across instances without Redis. A duplicate
 * request id fails the INSERT on the primary key, which aborts the whole statement, UPDATE
 * included.
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
 * Measured: 200 concurrent placeHold calls on ONE pass, Node 20 on 2 vCPU shared with other
 * work, PostgreSQL 15 on localhost (fsync on), PGlite 0.5 in-process:
 *
 *                                              funded for 50    funded for all 200
 *   PostgreSQL, pool of 10, this statement     120–210 ms       150–200 ms (1,000–1,300/s)
 *   PostgreSQL, pool of 10, interactive tx     210–320 ms       460–600 ms (330–430/s)
 *   PostgreSQL, two pools of 5 (2 instances)   250–260 ms
 *   PGlite, this statement                     250–360 ms       235–245 ms (~850/s)
 *   PGlite, interactive tx                     375–420 ms       680–770 ms (~280/s)
 *
 * Every run: exactly 50 admitted, 150 refused with INSUFFICIENT_BALANCE, Σ HELD entries = held
 * = credit, and a concurrent watcher never saw held above credit. A refusal costs one more
 * round trip (a fresh read for the message). One admission alone costs ~0.85 ms on PostgreSQL,
 * mostly the commit's WAL flush, which is also what bounds a single hot pass (~1,200/s); with
 * `synchronous_commit = off` the all-fit case took 73 ms, but a database crash could then lose
 * holds of requests still being served, whose captures would find nothing to charge, so it is
 * not used. Different passes share no lock: 2,000 holds over 20 passes took ~0.9 s on
 * PostgreSQL (~2,200/s, CPU-bound on this machine) and ~2.3 s on PGlite, which is one
 * connection where statements simply queue.
 *
 * The figures for this statement are printed by `pnpm exec vitest run
 * src/billing/placeHold.test.ts` ("under contention"); the interactive-transaction variant was
 * measured once with a throwaway script and is not kept.
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
  InsufficientBalanceError,
  type InsufficientBalanceErrorType,
  PassNotFoundError,
  type PassNotFoundErrorType,
  PaymentFailedError,
  type PaymentFailedErrorType,
} from './errors.js'
import { atLeastZero, getSqlState, toBillingError } from './internal.js'

export type PlaceHoldParameters = {
  database: Pick<Database, 'prisma'>
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
  const { database, requestId, walletAddress, pass, model, priceId, holdMicroUsd } = parameters
  // A negative hold would raise the available balance: refused before it reaches SQL.
  const issues = [
    ...(typeof requestId === 'string' && requestId.length >= 1 && requestId.length <= 128
      ? []
      : [{ path: 'requestId', message: 'expected 1 to 128 characters' }]),
    ...(typeof holdMicroUsd === 'bigint' && holdMicroUsd >= 0n
      ? []
      : [{ path: 'holdMicroUsd', message: 'expected a non-negative bigint of micro-USD' }]),
    ...(typeof pass.creditMicroUsd === 'bigint' && pass.creditMicroUsd >= 0n
      ? []
      : [{ path: 'pass.creditMicroUsd', message: 'expected a non-negative bigint of micro-USD' }]),
    ...(Number.isSafeInteger(parameters.holdTtlMs) && parameters.holdTtlMs > 0
      ? []
      : [{ path: 'holdTtlMs', message: 'expected a positive integer of milliseconds' }]),
  ]
  if (issues.length > 0) throw new InvalidInputError('Invalid hold.', { issues })
  const credit = pass.creditMicroUsd
  const holdExpiresAt = new Date((parameters.now ?? Date.now()) + parameters.holdTtlMs)

  for (let attempt = 1; ; attempt++) {
    let rows: {
      creditMicroUsd: bigint
      pendingMicroUsd: bigint
      heldMicroUsd: bigint
      debtMicroUsd: bigint
    }[]
    try {
      rows = await database.prisma.$queryRaw`
        WITH updated AS (
          UPDATE "Pass"
          SET "heldMicroUsd" = "heldMicroUsd" + ${holdMicroUsd}::bigint,
              "creditMicroUsd" = ${credit}::bigint,
              "suspendedAt" = NULL,
              "updatedAt" = now()
          WHERE id = ${pass.id}::uuid
            AND ${credit}::bigint - "pendingMicroUsd" - "heldMicroUsd" - "debtMicroUsd"
              >= ${holdMicroUsd}::bigint
          RETURNING id, "creditMicroUsd", "pendingMicroUsd", "heldMicroUsd", "debtMicroUsd"
        ), inserted AS (
          INSERT INTO "LedgerEntry" (
            "requestId", "walletAddress", "passId", "sessionId", "apiKeyId", model, "priceId",
            status, "holdMicroUsd", stream, "holdExpiresAt"
          )
          SELECT ${requestId}, ${walletAddress}, id, ${parameters.sessionId ?? null}::uuid,
            ${parameters.apiKeyId ?? null}::uuid, ${model}, ${priceId}::uuid,
            'HELD', ${holdMicroUsd}::bigint, ${parameters.stream ?? false}, ${holdExpiresAt}
          FROM updated
          RETURNING "requestId"
        )
        SELECT u."creditMicroUsd", u."pendingMicroUsd", u."heldMicroUsd", u."debtMicroUsd"
        FROM updated u, inserted`
    } catch (error) {
      if (getSqlState(error) === '23505') throw new DuplicateRequestError({ requestId })
      throw toBillingError(error, 'place a hold')
    }

    const admitted = rows[0]
    if (admitted) {
      const { debtMicroUsd, ...amounts } = admitted
      return {
        requestId,
        holdMicroUsd,
        holdExpiresAt,
        balance: {
          ...amounts,
          availableMicroUsd: atLeastZero(
            amounts.creditMicroUsd - amounts.pendingMicroUsd - amounts.heldMicroUsd - debtMicroUsd,
          ),
        },
      }
    }

    const current = await database.prisma.pass
      .findUnique({
        where: { id: pass.id },
        select: {
          tokenId: true,
          pendingMicroUsd: true,
          heldMicroUsd: true,
          debtMicroUsd: true,
        },
      })
      .catch((error: unknown) => {
        throw toBillingError(error, 'read a pass')
      })
    if (!current) throw new PassNotFoundError({ passId: pass.id })
    const tokenId = pass.tokenId ?? BigInt(current.tokenId.toFixed())
    const covering = credit - current.pendingMicroUsd - current.heldMicroUsd
    if (current.debtMicroUsd > 0n && covering < current.debtMicroUsd)
      throw new PaymentFailedError({
        debtMicroUsd: current.debtMicroUsd,
        amountDueMicroUsd: current.debtMicroUsd - covering,
        neededMicroUsd: holdMicroUsd,
        tokenId,
      })
    const available = covering - current.debtMicroUsd
    if (available >= holdMicroUsd && attempt < maxAttempts) continue
    throw new InsufficientBalanceError({
      neededMicroUsd: holdMicroUsd,
      availableMicroUsd: atLeastZero(available),
      tokenId,
    })
  }
}
