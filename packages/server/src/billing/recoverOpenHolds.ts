import type { MicroUsd } from '@accesspoint/core'
import type { Database } from '../db/createDatabase.js'
import { consoleLogger } from './internal.js'
import type { BillingLogger } from './types.js'

export type RecoverOpenHoldsParameters = {
  database: Pick<Database, 'prisma'>
  /** Holds that expired before this are released. @default new Date() */
  now?: Date | undefined
  logger?: BillingLogger | undefined
  /** Entries per transaction. @default 500 */
  batchSize?: number | undefined
}

export type RecoverOpenHoldsReturnType = {
  /** Holds released (for a metric: each one is a request that was never billed). */
  released: number
  releasedMicroUsd: MicroUsd
}

export type RecoverOpenHoldsErrorType = Error

/**
 * Releases holds whose `holdExpiresAt` has passed, and takes them off their passes' held
 * amounts in the same transaction. Run it at start-up (holds left by a crash) and periodically
 * (holds of requests that never finished); it is safe on every instance at once.
 *
 * Policy: an expired hold is RELEASED without a charge, marked `finishReason = 'hold_expired'`.
 * Its request may have generated tokens, but there is no usage report left to count them, and
 * we do not charge without one (charging the worst case would bill users for our crash). The
 * returned count is the revenue-at-risk metric; a capture arriving after this is ignored and
 * logged by the ledger writer. Keep the hold TTL above the longest request so that only
 * crashes end up here.
 *
 * Entries a ledger writer is finalising right now are skipped (SKIP LOCKED), and locks are taken
 * in the writer's order (entries by requestId, then passes by id), so it never deadlocks with it.
 */
export async function recoverOpenHolds({
  database,
  now = new Date(),
  logger = consoleLogger,
  batchSize = 500,
}: RecoverOpenHoldsParameters): Promise<RecoverOpenHoldsReturnType> {
  let released = 0
  let releasedMicroUsd = 0n
  for (;;) {
    const expired = await database.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<
          { requestId: string; passId: string | null; holdMicroUsd: bigint }[]
        >`
          SELECT "requestId", "passId", "holdMicroUsd" FROM "LedgerEntry"
          WHERE status = 'HELD' AND "holdExpiresAt" < ${now}
          ORDER BY "requestId"
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED`
        if (rows.length === 0) return rows

        await tx.$executeRaw`
          UPDATE "LedgerEntry" SET
            status = 'RELEASED',
            "capturedAt" = ${now},
            "finishReason" = COALESCE("finishReason", 'hold_expired')
          WHERE "requestId" = ANY(${rows.map((row) => row.requestId)}::text[])`

        const byPass = new Map<string, bigint>()
        for (const row of rows)
          if (row.passId) byPass.set(row.passId, (byPass.get(row.passId) ?? 0n) + row.holdMicroUsd)
        if (byPass.size > 0) {
          const passIds = [...byPass.keys()].sort()
          await tx.$queryRaw`
            SELECT id FROM "Pass" WHERE id = ANY(${passIds}::uuid[]) ORDER BY id FOR UPDATE`
          await tx.$executeRaw`
            UPDATE "Pass" AS p SET
              "heldMicroUsd" = p."heldMicroUsd" - v.held,
              "updatedAt" = now()
            FROM unnest(
              ${passIds}::uuid[], ${passIds.map((id) => byPass.get(id) ?? 0n)}::bigint[]
            ) AS v(id, held)
            WHERE p.id = v.id`
        }
        return rows
      },
      { maxWait: 10_000, timeout: 30_000 },
    )
    released += expired.length
    for (const row of expired) releasedMicroUsd += row.holdMicroUsd
    if (expired.length > 0)
      logger.warn(
        {
          released: expired.length,
          requestIds: expired.slice(0, 20).map((row) => row.requestId),
        },
        'billing: released expired holds without a charge',
      )
    if (expired.length < batchSize) return { released, releasedMicroUsd }
  }
}
