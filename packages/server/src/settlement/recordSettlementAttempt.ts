import type { Hex } from 'viem'
import type { Database } from '../db/createDatabase.js'

export type RecordSettlementAttemptParameters = {
  database: Pick<Database, 'prisma'>
  batchId: Hex
  now: Date
} & (
  | {
      /** Signed and about to be broadcast: from here on a restart must look for this hash. */
      kind: 'signed'
      txHash: Hex
      nonce: number
    }
  | {
      /**
       * An attempt failed without settling the batch. `newAttempt`: it failed before signing
       * (the simulation reverted), so it was not counted yet.
       */
      kind: 'failed'
      error: string
      newAttempt: boolean
    }
)

export type RecordSettlementAttemptReturnType = undefined

/** Stores the progress of a batch that is still PENDING or SUBMITTED. */
export async function recordSettlementAttempt(
  parameters: RecordSettlementAttemptParameters,
): Promise<RecordSettlementAttemptReturnType> {
  const { database, batchId, now } = parameters
  const open = { id: batchId, status: { in: ['PENDING' as const, 'SUBMITTED' as const] } }
  if (parameters.kind === 'signed')
    await database.prisma.settlementBatch.update({
      where: open,
      data: {
        status: 'SUBMITTED',
        txHash: parameters.txHash,
        txNonce: parameters.nonce,
        attempts: { increment: 1 },
        submittedAt: now,
      },
    })
  else
    await database.prisma.settlementBatch.update({
      where: open,
      data: {
        lastError: parameters.error.slice(0, 2_000),
        ...(parameters.newAttempt ? { attempts: { increment: 1 } } : {}),
      },
    })
}
