import type { Hex } from 'viem'
import type { Database } from '../db/createDatabase.js'

export type FailSettlementBatchParameters = {
  database: Pick<Database, 'prisma'>
  batchId: Hex
  error: string
}

export type FailSettlementBatchReturnType = {
  /** Ledger entries given back to the next run. */
  released: number
}

/**
 * Marks a batch FAILED and gives its ledger entries back (`settlementBatchId = NULL`), in one
 * transaction. Only for a batch the chain has confirmed it never used and never will (no
 * transaction sent, or the nonce of the last one consumed by something else): the entries are
 * then settled by a later batch under a new id, and can never be deducted twice. Its items stay
 * as a record; the debt they included counts as open again.
 */
export async function failSettlementBatch({
  database,
  batchId,
  error,
}: FailSettlementBatchParameters): Promise<FailSettlementBatchReturnType> {
  return database.prisma.$transaction(
    async (tx) => {
      const changed = await tx.$executeRaw`
        UPDATE "SettlementBatch" SET status = 'FAILED', "lastError" = ${error.slice(0, 2_000)}
        WHERE id = ${batchId} AND status IN ('PENDING', 'SUBMITTED')`
      if (changed === 0) return { released: 0 }
      const released = await tx.$executeRaw`
        UPDATE "LedgerEntry" SET "settlementBatchId" = NULL
        WHERE "settlementBatchId" = ${batchId} AND "settledAt" IS NULL`
      return { released }
    },
    { maxWait: 10_000, timeout: 30_000 },
  )
}
