import type { MicroUsd } from '@accesspoint/core'
import type { Hex } from 'viem'
import type { Database } from '../db/createDatabase.js'

/** One pass's share of a stored batch. */
export type StoredSettlementItem = {
  passId: string
  tokenId: bigint
  /** Requested from the contract: charges + debt. */
  amountMicroUsd: MicroUsd
  chargesMicroUsd: MicroUsd
  debtMicroUsd: MicroUsd
}

/** A SettlementBatch as the worker drives it; items in token id order, as they are sent. */
export type StoredSettlementBatch = {
  id: Hex
  status: 'PENDING' | 'SUBMITTED' | 'CONFIRMED' | 'FAILED'
  totalMicroUsd: MicroUsd
  /** The last transaction signed for it, stored before it was broadcast. */
  txHash: Hex | null
  txNonce: number | null
  attempts: number
  fromBlock: bigint | null
  items: StoredSettlementItem[]
}

export type ReadSettlementBatchParameters = {
  database: Pick<Database, 'prisma'>
  batchId: string
}

export type ReadSettlementBatchReturnType = StoredSettlementBatch | null

/** A batch with its items, or null. */
export async function readSettlementBatch({
  database,
  batchId,
}: ReadSettlementBatchParameters): Promise<ReadSettlementBatchReturnType> {
  const row = await database.prisma.settlementBatch.findUnique({
    where: { id: batchId },
    include: { items: { include: { pass: { select: { tokenId: true } } } } },
  })
  if (!row) return null
  const items = row.items
    .map((item) => ({
      passId: item.passId,
      tokenId: BigInt(item.pass.tokenId.toFixed()),
      amountMicroUsd: item.amountMicroUsd,
      chargesMicroUsd: item.chargesMicroUsd,
      debtMicroUsd: item.debtMicroUsd,
    }))
    .sort((a, b) => (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0))
  return {
    id: row.id as Hex,
    status: row.status,
    totalMicroUsd: row.totalMicroUsd,
    txHash: row.txHash as Hex | null,
    txNonce: row.txNonce,
    attempts: row.attempts,
    fromBlock: row.fromBlock,
    items,
  }
}
