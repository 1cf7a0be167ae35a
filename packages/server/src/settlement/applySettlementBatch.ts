import type { MicroUsd } from '@accesspoint/core'
import type { Hex } from 'viem'
import type { Database } from '../db/createDatabase.js'
import { SettlementMismatchError } from './errors.js'
import type { StoredSettlementItem } from './readSettlementBatch.js'

/** One `Settled` event of the batch. */
export type SettledPassEvent = {
  tokenId: bigint
  requestedMicroUsd: MicroUsd
  deductedMicroUsd: MicroUsd
}

export type ApplySettlementBatchParameters = {
  database: Pick<Database, 'prisma'>
  batchId: Hex
  /** The confirmed transaction that settled it, and its block. */
  txHash: Hex
  blockNumber: bigint
  /** Its `Settled` events: one per item. */
  events: readonly SettledPassEvent[]
  now: Date
}

export type AppliedSettlementItem = StoredSettlementItem & {
  deductedMicroUsd: MicroUsd
  shortfallMicroUsd: MicroUsd
}

export type ApplySettlementBatchReturnType = {
  /** False when the batch was CONFIRMED already: nothing changed. */
  applied: boolean
  items: AppliedSettlementItem[]
  deductedMicroUsd: MicroUsd
  shortfallMicroUsd: MicroUsd
  /** Items whose pass was short. */
  shortfalls: number
}

/**
 * Records a confirmed settlement, in ONE transaction, exactly once: the batch row is locked and
 * a CONFIRMED batch is left alone, so applying the same receipt again (a retry, a second
 * worker) changes nothing.
 *
 * - items: what was deducted and what fell short;
 * - the batch: CONFIRMED with the transaction, its block and the total deducted;
 * - its ledger entries: `settledAt`;
 * - each pass: pending −= its charges; debt = debt − debt collected + shortfall; the credit
 *   mirror −= deducted; suspended (now) when it fell short, un-suspended when no debt is left.
 *
 * The events must match the stored items exactly (same passes, same amounts requested);
 * otherwise nothing is applied and {@link SettlementMismatchError} is thrown.
 *
 * Lock order: the batch, its ledger entries, then passes by id (as in billing).
 */
export async function applySettlementBatch({
  database,
  batchId,
  txHash,
  blockNumber,
  events,
  now,
}: ApplySettlementBatchParameters): Promise<ApplySettlementBatchReturnType> {
  return database.prisma.$transaction(
    async (tx) => {
      const [batch] = await tx.$queryRaw<{ status: string }[]>`
        SELECT status::text AS status FROM "SettlementBatch" WHERE id = ${batchId} FOR UPDATE`
      if (!batch) throw new SettlementMismatchError({ batchId, reason: 'no such batch' })
      const rows = await tx.$queryRaw<
        {
          passId: string
          tokenId: string
          amount: bigint
          charges: bigint
          debt: bigint
          deducted: bigint | null
          shortfall: bigint | null
        }[]
      >`
        SELECT i."passId", p."tokenId"::text AS "tokenId", i."amountMicroUsd" AS amount,
          i."chargesMicroUsd" AS charges, i."debtMicroUsd" AS debt,
          i."deductedMicroUsd" AS deducted, i."shortfallMicroUsd" AS shortfall
        FROM "SettlementItem" i JOIN "Pass" p ON p.id = i."passId"
        WHERE i."batchId" = ${batchId}
        ORDER BY p."tokenId"`
      const stored = rows.map((row) => ({
        passId: row.passId,
        tokenId: BigInt(row.tokenId),
        amountMicroUsd: row.amount,
        chargesMicroUsd: row.charges,
        debtMicroUsd: row.debt,
      }))

      if (batch.status === 'CONFIRMED')
        return summarize(
          false,
          stored.map((item, index) => ({
            ...item,
            deductedMicroUsd: rows[index]?.deducted ?? 0n,
            shortfallMicroUsd: rows[index]?.shortfall ?? 0n,
          })),
        )
      if (batch.status === 'FAILED')
        throw new SettlementMismatchError({
          batchId,
          reason: 'the batch is FAILED and its charges were released, yet the chain settled it',
        })

      const byToken = new Map(events.map((event) => [event.tokenId, event]))
      if (byToken.size !== events.length || events.length !== stored.length)
        throw new SettlementMismatchError({
          batchId,
          reason: `${events.length} Settled events for ${stored.length} items`,
        })
      const items: AppliedSettlementItem[] = stored.map((item) => {
        const event = byToken.get(item.tokenId)
        if (!event || event.requestedMicroUsd !== item.amountMicroUsd)
          throw new SettlementMismatchError({
            batchId,
            reason: event
              ? `pass #${item.tokenId}: requested ${event.requestedMicroUsd} on-chain, ${item.amountMicroUsd} stored`
              : `no Settled event for pass #${item.tokenId}`,
          })
        if (event.deductedMicroUsd > event.requestedMicroUsd || event.deductedMicroUsd < 0n)
          throw new SettlementMismatchError({
            batchId,
            reason: `pass #${item.tokenId}: deducted ${event.deductedMicroUsd} of ${event.requestedMicroUsd}`,
          })
        return {
          ...item,
          deductedMicroUsd: event.deductedMicroUsd,
          shortfallMicroUsd: event.requestedMicroUsd - event.deductedMicroUsd,
        }
      })
      const result = summarize(true, items)

      await tx.$executeRaw`
        UPDATE "SettlementItem" AS i SET
          "deductedMicroUsd" = v.deducted,
          "shortfallMicroUsd" = v.shortfall
        FROM unnest(
          ${items.map((item) => item.passId)}::uuid[],
          ${items.map((item) => item.deductedMicroUsd)}::bigint[],
          ${items.map((item) => item.shortfallMicroUsd)}::bigint[]
        ) AS v(pass_id, deducted, shortfall)
        WHERE i."batchId" = ${batchId} AND i."passId" = v.pass_id`
      await tx.$executeRaw`
        UPDATE "SettlementBatch" SET
          status = 'CONFIRMED',
          "txHash" = ${txHash},
          "blockNumber" = ${blockNumber}::bigint,
          "deductedMicroUsd" = ${result.deductedMicroUsd}::bigint,
          "confirmedAt" = ${now},
          "lastError" = NULL
        WHERE id = ${batchId}`
      await tx.$executeRaw`
        UPDATE "LedgerEntry" SET "settledAt" = ${now}
        WHERE "settlementBatchId" = ${batchId} AND "settledAt" IS NULL`

      const byPass = [...items].sort((a, b) => (a.passId < b.passId ? -1 : 1))
      await tx.$queryRaw`
        SELECT id FROM "Pass" WHERE id = ANY(${byPass.map((item) => item.passId)}::uuid[])
        ORDER BY id FOR UPDATE`
      // SET expressions all see the row as it was, so `debt` below is the old debt. A debt an
      // operator lowered meanwhile never goes below zero.
      await tx.$executeRaw`
        UPDATE "Pass" AS p SET
          "pendingMicroUsd" = p."pendingMicroUsd" - v.charges,
          "debtMicroUsd" = GREATEST(p."debtMicroUsd" - v.debt, 0) + v.shortfall,
          "creditMicroUsd" = GREATEST(p."creditMicroUsd" - v.deducted, 0),
          "suspendedAt" = CASE
            WHEN v.shortfall > 0 THEN ${now}
            WHEN GREATEST(p."debtMicroUsd" - v.debt, 0) = 0 THEN NULL
            ELSE p."suspendedAt"
          END,
          "updatedAt" = now()
        FROM unnest(
          ${byPass.map((item) => item.passId)}::uuid[],
          ${byPass.map((item) => item.chargesMicroUsd)}::bigint[],
          ${byPass.map((item) => item.debtMicroUsd)}::bigint[],
          ${byPass.map((item) => item.deductedMicroUsd)}::bigint[],
          ${byPass.map((item) => item.shortfallMicroUsd)}::bigint[]
        ) AS v(id, charges, debt, deducted, shortfall)
        WHERE p.id = v.id`
      return result
    },
    { maxWait: 10_000, timeout: 30_000 },
  )
}

function summarize(applied: boolean, items: AppliedSettlementItem[]) {
  let deductedMicroUsd = 0n
  let shortfallMicroUsd = 0n
  let shortfalls = 0
  for (const item of items) {
    deductedMicroUsd += item.deductedMicroUsd
    shortfallMicroUsd += item.shortfallMicroUsd
    if (item.shortfallMicroUsd > 0n) shortfalls++
  }
  return { applied, items, deductedMicroUsd, shortfallMicroUsd, shortfalls }
}
