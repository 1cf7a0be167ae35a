import type { MicroUsd } from '@accesspoint/core'
import type { Hex } from 'viem'
import type { Database } from '../db/createDatabase.js'
import type { StoredSettlementBatch, StoredSettlementItem } from './readSettlementBatch.js'

export type WriteSettlementBatchParameters = {
  database: Pick<Database, 'prisma'>
  /** Random bytes32: the contract refuses a second use, so it is never reused for other charges. */
  batchId: Hex
  chainId: number
  /** Lower-case. */
  contractAddress: string
  /** The passes this batch is for, from the plan. */
  passIds: readonly string[]
  /** The plan's cutoff: only charges captured by then are claimed. */
  cutoff: Date
  /** Chain head now; recovery looks for the batch's events from here. */
  fromBlock: bigint
  now: Date
}

export type WriteSettlementBatchReturnType = StoredSettlementBatch | null

/**
 * Writes a batch before anything is sent, in ONE transaction: the SettlementBatch (PENDING), the
 * claim of its ledger entries (`settlementBatchId` set where it is still NULL) and one
 * SettlementItem per pass (its claimed charges + its debt = the amount requested). The claimed
 * entries decide the amounts, not the plan, so two runs can never claim an entry twice; entries
 * another transaction is claiming right now are skipped, not waited for. Returns null when
 * nothing was left to claim (the batch is then not written).
 *
 * Lock order as everywhere in billing: ledger entries by requestId, then passes by id.
 */
export async function writeSettlementBatch({
  database,
  batchId,
  chainId,
  contractAddress,
  passIds,
  cutoff,
  fromBlock,
  now,
}: WriteSettlementBatchParameters): Promise<WriteSettlementBatchReturnType> {
  return database.prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "SettlementBatch" (
          id, "chainId", "contractAddress", status, "totalMicroUsd", "passCount", "fromBlock",
          "createdAt"
        ) VALUES (
          ${batchId}, ${chainId}, ${contractAddress}, 'PENDING', 0, 0, ${fromBlock}::bigint, ${now}
        )`
      const claimed = await tx.$queryRaw<{ passId: string; charges: bigint }[]>`
        WITH claimable AS (
          SELECT "requestId" FROM "LedgerEntry"
          WHERE status = 'CHARGED' AND "settlementBatchId" IS NULL AND "capturedAt" <= ${cutoff}
            AND "passId" = ANY(${[...passIds]}::uuid[])
          ORDER BY "requestId"
          FOR UPDATE SKIP LOCKED
        ), claimed AS (
          UPDATE "LedgerEntry" AS e SET "settlementBatchId" = ${batchId}
          FROM claimable c
          WHERE e."requestId" = c."requestId" AND e."settlementBatchId" IS NULL
          RETURNING e."passId", e."chargeMicroUsd"
        )
        SELECT "passId", SUM("chargeMicroUsd")::bigint AS charges FROM claimed GROUP BY "passId"`
      const charges = new Map(claimed.map((row) => [row.passId, row.charges]))

      const sortedIds = [...passIds].sort()
      const passes = await tx.$queryRaw<{ id: string; tokenId: string; debt: bigint }[]>`
        SELECT id, "tokenId"::text AS "tokenId", "debtMicroUsd" AS debt FROM "Pass"
        WHERE id = ANY(${sortedIds}::uuid[])
        ORDER BY id
        FOR UPDATE`
      // Read under the pass locks, so a concurrent writer's items for the same debt are seen.
      const inFlight = await tx.$queryRaw<{ passId: string; debt: bigint }[]>`
        SELECT i."passId", SUM(i."debtMicroUsd")::bigint AS debt
        FROM "SettlementItem" i JOIN "SettlementBatch" b ON b.id = i."batchId"
        WHERE b.status IN ('PENDING', 'SUBMITTED') AND i."passId" = ANY(${sortedIds}::uuid[])
        GROUP BY i."passId"`
      const debtInFlight = new Map(inFlight.map((row) => [row.passId, row.debt]))

      const items: StoredSettlementItem[] = []
      for (const pass of passes) {
        const chargesMicroUsd: MicroUsd = charges.get(pass.id) ?? 0n
        const open = pass.debt - (debtInFlight.get(pass.id) ?? 0n)
        const debtMicroUsd: MicroUsd = open > 0n ? open : 0n
        if (!charges.has(pass.id) && debtMicroUsd === 0n) continue
        items.push({
          passId: pass.id,
          tokenId: BigInt(pass.tokenId),
          chargesMicroUsd,
          debtMicroUsd,
          amountMicroUsd: chargesMicroUsd + debtMicroUsd,
        })
      }
      if (items.length === 0) {
        await tx.$executeRaw`DELETE FROM "SettlementBatch" WHERE id = ${batchId}`
        return null
      }
      items.sort((a, b) => (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0))
      const total = items.reduce((sum, item) => sum + item.amountMicroUsd, 0n)

      await tx.$executeRaw`
        INSERT INTO "SettlementItem" ("batchId", "passId", "amountMicroUsd", "chargesMicroUsd", "debtMicroUsd")
        SELECT ${batchId}, v.pass_id, v.amount, v.charges, v.debt
        FROM unnest(
          ${items.map((item) => item.passId)}::uuid[],
          ${items.map((item) => item.amountMicroUsd)}::bigint[],
          ${items.map((item) => item.chargesMicroUsd)}::bigint[],
          ${items.map((item) => item.debtMicroUsd)}::bigint[]
        ) AS v(pass_id, amount, charges, debt)`
      await tx.$executeRaw`
        UPDATE "SettlementBatch" SET "totalMicroUsd" = ${total}::bigint, "passCount" = ${items.length}
        WHERE id = ${batchId}`

      return {
        id: batchId,
        status: 'PENDING',
        totalMicroUsd: total,
        txHash: null,
        txNonce: null,
        attempts: 0,
        fromBlock,
        items,
      }
    },
    { maxWait: 10_000, timeout: 30_000 },
  )
}
