/*
 * Admission for many requests in ONE statement: the group-commit form of `placeHold`.
 *
 * A batch of holds (any passes, any number per pass) is one SQL statement, so one round trip and
 * one commit (one WAL flush) whatever its size. Per pass, in one statement:
 *   1. lock the batch's passes, ordered by id (FOR UPDATE): the lock order every writer uses
 *      (see createLedgerWriter), so two instances' batches over the same passes wait for each
 *      other instead of deadlocking. Under READ COMMITTED the lock returns the row as committed
 *      by whoever held it before (EvalPlanQual), so the check below sees every earlier hold;
 *   2. admit the holds in arrival order while their running sum fits
 *      credit − pending − held − debt, i.e. the longest prefix that fits (a large hold does not
 *      jump ahead of the small ones queued before it; one refused ends its pass's prefix);
 *   3. one UPDATE per pass (held += Σ admitted, credit = the newest credit read in the batch,
 *      suspension lifted) and one INSERT of the admitted HELD entries.
 * Nothing of a batch is written unless all of it is: a duplicate request id aborts the whole
 * statement (SQLSTATE 23505), and the caller decides per request again (`createHoldWriter` falls
 * back to `placeHold` one by one). A refused hold has no entry and reserved nothing.
 *
 * Measured with `pnpm exec vitest run src/billing/createHoldWriter.test.ts` (it prints the
 * figures; createHoldWriter.ts quotes them).
 */
import type { MicroUsd } from '@accesspoint/core'
import type { Database } from '../db/createDatabase.js'
import { atLeastZero } from './internal.js'
import type { PlaceHoldReturnType } from './placeHold.js'

export type HoldRequest = {
  requestId: string
  walletAddress: string
  pass: { id: string; creditMicroUsd: MicroUsd }
  model: string
  priceId: string
  holdMicroUsd: MicroUsd
  holdExpiresAt: Date
  sessionId?: string | undefined
  apiKeyId?: string | undefined
  stream?: boolean | undefined
}

export type PlaceHoldsParameters = {
  database: Pick<Database, 'query'>
  /** Validated by the caller (`checkHold`); admitted in this order per pass. */
  holds: readonly HoldRequest[]
}

/** Per request, in the order given: admitted (the pass right after its hold) or refused. */
export type PlaceHoldsReturnType = (
  | { admitted: true; balance: PlaceHoldReturnType['balance']; debtMicroUsd: MicroUsd }
  | { admitted: false }
)[]

/**
 * Places every hold that fits, atomically per batch, in one statement.
 *
 * @throws the database's error as is (a duplicate request id is SQLSTATE 23505): nothing of the
 *   batch was written, unless the connection dropped after the commit (the caller releases).
 */
export async function placeHolds({
  database,
  holds,
}: PlaceHoldsParameters): Promise<PlaceHoldsReturnType> {
  if (holds.length === 0) return []
  const rows = await database.query<{
    requestId: string
    creditMicroUsd: string
    pendingMicroUsd: string
    heldMicroUsd: string
    debtMicroUsd: string
  }>(
    statement,
    [
      holds.map((hold) => hold.requestId),
      holds.map((hold) => hold.walletAddress),
      holds.map((hold) => hold.pass.id),
      holds.map((hold) => String(hold.pass.creditMicroUsd)),
      holds.map((hold) => hold.sessionId ?? ''),
      holds.map((hold) => hold.apiKeyId ?? ''),
      holds.map((hold) => hold.model),
      holds.map((hold) => hold.priceId),
      holds.map((hold) => String(hold.holdMicroUsd)),
      holds.map((hold) => hold.stream === true),
      holds.map((hold) => hold.holdExpiresAt.toISOString()),
    ],
    'accesspoint_place_holds',
  )
  // Only admitted holds come back. `updated` and `inserted` are not read: PostgreSQL runs a
  // data-modifying CTE to completion whether or not the query reads it.
  const admitted = new Map(rows.map((row) => [row.requestId, row]))
  return holds.map((hold) => {
    const row = admitted.get(hold.requestId)
    if (!row) return { admitted: false }
    const creditMicroUsd = BigInt(row.creditMicroUsd)
    const pendingMicroUsd = BigInt(row.pendingMicroUsd)
    const heldMicroUsd = BigInt(row.heldMicroUsd)
    const debtMicroUsd = BigInt(row.debtMicroUsd)
    return {
      admitted: true,
      debtMicroUsd,
      balance: {
        creditMicroUsd,
        pendingMicroUsd,
        heldMicroUsd,
        availableMicroUsd: atLeastZero(
          creditMicroUsd - pendingMicroUsd - heldMicroUsd - debtMicroUsd,
        ),
      },
    }
  })
}

// Columns as arrays: one parameter each however long the batch. '' stands for "no session / no
// key" (NULLIF below). Amounts travel as text and come back as text: exact in both drivers.
const statement = `
  WITH requested AS (
    SELECT * FROM unnest(
      $1::text[], $2::text[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[],
      $8::uuid[], $9::bigint[], $10::boolean[], $11::text[]
    ) WITH ORDINALITY AS r(
      "requestId", wallet, "passId", credit, "sessionId", "apiKeyId", model, "priceId", hold,
      stream, "expiresAt", position
    )
  ), locked AS (
    SELECT id, "pendingMicroUsd", "heldMicroUsd", "debtMicroUsd" FROM "Pass"
    WHERE id IN (SELECT "passId" FROM requested)
    ORDER BY id
    FOR UPDATE
  ), ranked AS (
    SELECT r.*,
      -- The pass's credit as most recently read from the chain, for every hold on it.
      first_value(r.credit) OVER (PARTITION BY r."passId" ORDER BY r.position DESC) AS "passCredit",
      (sum(r.hold) OVER (PARTITION BY r."passId" ORDER BY r.position))::bigint AS running,
      l."pendingMicroUsd", l."heldMicroUsd", l."debtMicroUsd"
    FROM requested r JOIN locked l ON l.id = r."passId"
  ), admitted AS (
    SELECT * FROM ranked
    WHERE "passCredit" - "pendingMicroUsd" - "heldMicroUsd" - "debtMicroUsd" >= running
  ), updated AS (
    UPDATE "Pass" AS p SET
      "heldMicroUsd" = p."heldMicroUsd" + t.held,
      "creditMicroUsd" = t.credit,
      "suspendedAt" = NULL,
      "updatedAt" = now()
    FROM (
      SELECT "passId", sum(hold)::bigint AS held, min("passCredit") AS credit
      FROM admitted GROUP BY "passId"
    ) AS t
    WHERE p.id = t."passId"
  ), inserted AS (
    INSERT INTO "LedgerEntry" (
      "requestId", "walletAddress", "passId", "sessionId", "apiKeyId", model, "priceId",
      status, "holdMicroUsd", stream, "holdExpiresAt"
    )
    SELECT "requestId", wallet, "passId", NULLIF("sessionId", '')::uuid,
      NULLIF("apiKeyId", '')::uuid, model, "priceId", 'HELD', hold, stream,
      "expiresAt"::timestamp(3)
    FROM admitted
  )
  SELECT a."requestId", a."passCredit"::text AS "creditMicroUsd",
    a."pendingMicroUsd"::text AS "pendingMicroUsd",
    (a."heldMicroUsd" + a.running)::text AS "heldMicroUsd", a."debtMicroUsd"::text AS "debtMicroUsd"
  FROM admitted a`
