import type { Hex } from 'viem'
import type { Database } from '../db/createDatabase.js'

export type ListUnresolvedSettlementBatchesParameters = {
  database: Pick<Database, 'prisma'>
  chainId: number
  /** Lower-case. */
  contractAddress: string
}

export type ListUnresolvedSettlementBatchesReturnType = Hex[]

/** Batches of one contract left PENDING or SUBMITTED (by a crash, or still in flight), oldest first. */
export async function listUnresolvedSettlementBatches({
  database,
  chainId,
  contractAddress,
}: ListUnresolvedSettlementBatchesParameters): Promise<ListUnresolvedSettlementBatchesReturnType> {
  const rows = await database.prisma.settlementBatch.findMany({
    where: { chainId, contractAddress, status: { in: ['PENDING', 'SUBMITTED'] } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  })
  return rows.map((row) => row.id as Hex)
}
