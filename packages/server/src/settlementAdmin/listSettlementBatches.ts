import { InvalidInputError, type InvalidInputErrorType, type MicroUsd } from '@accesspoint/core'
import type { Database } from '../db/createDatabase.js'
import type { Prisma, SettlementStatus } from '../generated/prisma/client.js'

export type ListSettlementBatchesParameters = {
  database: Pick<Database, 'prisma'>
  /** Only batches in this status (e.g. FAILED, to find what to retry). */
  status?: SettlementStatus | undefined
  /** Only this batch. */
  batchId?: string | undefined
  /** `nextCursor` of the previous page; omit for the newest batches. */
  cursor?: string | null | undefined
  /** 1 to 100. @default 20 */
  limit?: number | undefined
}

export type SettlementBatchRow = {
  batchId: string
  chainId: number
  contractAddress: string
  status: SettlementStatus
  /** What the batch asks of its passes: their charges plus any debt carried over. */
  totalMicroUsd: MicroUsd
  passCount: number
  txHash: string | null
  blockNumber: bigint | null
  attempts: number
  lastError: string | null
  createdAt: Date
  submittedAt: Date | null
  confirmedAt: Date | null
  items: {
    passId: string
    tokenId: bigint
    amountMicroUsd: MicroUsd
    /** Set once the batch is confirmed. */
    deductedMicroUsd: MicroUsd | null
    shortfallMicroUsd: MicroUsd | null
  }[]
}

export type ListSettlementBatchesReturnType = {
  /** Newest first. */
  items: SettlementBatchRow[]
  /** Pass it back for the next page; null on the last page. */
  nextCursor: string | null
}

export type ListSettlementBatchesErrorType = InvalidInputErrorType

export const maxSettlementPageSize = 100

/**
 * A page of settlement batches with their items, newest first. Pages are keyed on
 * (createdAt, id), so batches written meanwhile never shift or repeat a later page.
 */
export async function listSettlementBatches({
  database,
  status,
  batchId,
  cursor,
  limit = 20,
}: ListSettlementBatchesParameters): Promise<ListSettlementBatchesReturnType> {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxSettlementPageSize)
    throw new InvalidInputError(
      `Invalid limit ${String(limit)}: expected 1 to ${maxSettlementPageSize}.`,
      {
        issues: [
          { path: 'limit', message: `expected an integer from 1 to ${maxSettlementPageSize}` },
        ],
      },
    )
  const after = cursor ? decodeCursor(cursor) : undefined
  const filter: Prisma.SettlementBatchWhereInput = {
    ...(status !== undefined && { status }),
    ...(batchId !== undefined && { id: batchId.toLowerCase() }),
  }
  const rows = await database.prisma.settlementBatch.findMany({
    where: after
      ? {
          AND: [
            filter,
            {
              OR: [
                { createdAt: { lt: after.createdAt } },
                { createdAt: after.createdAt, id: { lt: after.id } },
              ],
            },
          ],
        }
      : filter,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    include: {
      items: {
        orderBy: { passId: 'asc' },
        include: { pass: { select: { tokenId: true } } },
      },
    },
  })
  const items = rows.slice(0, limit).map(
    ({ id, items, txNonce: _txNonce, ...batch }): SettlementBatchRow => ({
      batchId: id,
      ...batch,
      items: items.map((item) => ({
        passId: item.passId,
        tokenId: BigInt(item.pass.tokenId.toFixed()),
        amountMicroUsd: item.amountMicroUsd,
        deductedMicroUsd: item.deductedMicroUsd,
        shortfallMicroUsd: item.shortfallMicroUsd,
      })),
    }),
  )
  const last = rows.length > limit ? rows[limit - 1] : undefined
  return { items, nextCursor: last ? encodeCursor(last) : null }
}

// Opaque to clients: base64url of JSON [createdAt ISO, batch id].
function encodeCursor({ createdAt, id }: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url')
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(value) && value.length === 2) {
      const [iso, id] = value as unknown[]
      const createdAt = typeof iso === 'string' ? new Date(iso) : undefined
      if (createdAt && !Number.isNaN(createdAt.getTime()) && typeof id === 'string')
        return { createdAt, id }
    }
  } catch {
    // Reported below.
  }
  throw new InvalidInputError('Invalid cursor: pass back the nextCursor of the previous page.', {
    issues: [{ path: 'cursor', message: 'not a cursor returned by admin.settlements' }],
  })
}
