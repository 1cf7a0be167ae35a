import type { MicroUsd } from '@accesspoint/core'
import type { Database } from '../db/createDatabase.js'

export type PlanSettlementParameters = {
  database: Pick<Database, 'prisma'>
  chainId: number
  /** Lower-case, as Pass rows store it. */
  contractAddress: string
  /** Charges captured at or before this are due. */
  cutoff: Date
}

export type PlannedPass = {
  passId: string
  tokenId: bigint
  /** Σ of its unclaimed charges captured by the cutoff. */
  chargesMicroUsd: MicroUsd
  /** Its debt, less what a batch still in flight already asks for. */
  debtMicroUsd: MicroUsd
  requestedMicroUsd: MicroUsd
}

export type PlanSettlementReturnType = PlannedPass[]

/**
 * What is due, per pass of one contract, in token id order: unclaimed CHARGED entries older
 * than the cutoff, plus debt from an earlier shortfall. Reads only; `writeSettlementBatch`
 * claims the entries, and the entries it actually claims decide the amounts.
 */
export async function planSettlement({
  database,
  chainId,
  contractAddress,
  cutoff,
}: PlanSettlementParameters): Promise<PlanSettlementReturnType> {
  // Debt that a PENDING or SUBMITTED batch already collects is left out, or a batch still in
  // flight and a new one would both ask for it.
  const rows = await database.prisma.$queryRaw<
    { passId: string; tokenId: string; charges: bigint; debt: bigint }[]
  >`
    WITH due AS (
      SELECT "passId", SUM("chargeMicroUsd")::bigint AS charges
      FROM "LedgerEntry"
      WHERE status = 'CHARGED' AND "settlementBatchId" IS NULL AND "capturedAt" <= ${cutoff}
        AND "passId" IS NOT NULL
      GROUP BY "passId"
    ), in_flight AS (
      SELECT i."passId", SUM(i."debtMicroUsd")::bigint AS debt
      FROM "SettlementItem" i JOIN "SettlementBatch" b ON b.id = i."batchId"
      WHERE b.status IN ('PENDING', 'SUBMITTED')
      GROUP BY i."passId"
    )
    SELECT p.id AS "passId", p."tokenId"::text AS "tokenId",
      COALESCE(d.charges, 0)::bigint AS charges,
      GREATEST(p."debtMicroUsd" - COALESCE(f.debt, 0), 0)::bigint AS debt
    FROM "Pass" p
    LEFT JOIN due d ON d."passId" = p.id
    LEFT JOIN in_flight f ON f."passId" = p.id
    WHERE p."chainId" = ${chainId} AND p."contractAddress" = ${contractAddress}
      AND (d."passId" IS NOT NULL OR p."debtMicroUsd" - COALESCE(f.debt, 0) > 0)
    ORDER BY p."tokenId"`
  return rows.map((row) => ({
    passId: row.passId,
    tokenId: BigInt(row.tokenId),
    chargesMicroUsd: row.charges,
    debtMicroUsd: row.debt,
    requestedMicroUsd: row.charges + row.debt,
  }))
}
