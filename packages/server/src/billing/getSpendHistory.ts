import { InvalidInputError, type InvalidInputErrorType, type MicroUsd } from '@accesspoint/core'
import type { Database } from '../db/createDatabase.js'
import type { BillingUnavailableErrorType } from './errors.js'
import { toBillingError } from './internal.js'

/** How long one bucket of the spend history is, in UTC. */
export type SpendHistoryBucketSize = 'hour' | 'day'

export type GetSpendHistoryParameters = {
  database: Pick<Database, 'prisma'>
  /** Whose charges; required, so a user-facing call can never sum every wallet's. */
  walletAddress: string
  /** @default 'day' */
  bucket?: SpendHistoryBucketSize | undefined
  /** How many buckets, the current one included: 1 to 366. @default 30 */
  count?: number | undefined
  /** The clock the current bucket is taken from. @default new Date() */
  now?: Date | undefined
}

export type SpendHistoryBucket = {
  /** The bucket's first instant (UTC, on the hour or at midnight). */
  start: Date
  /** Charges captured in the bucket. */
  chargedMicroUsd: MicroUsd
  /** How many charged requests they were. */
  requests: number
}

export type GetSpendHistoryReturnType = {
  bucket: SpendHistoryBucketSize
  /** Exactly `count` buckets, oldest first, ending with the current one; empty ones are zero. */
  buckets: SpendHistoryBucket[]
  /** The sum over `buckets`. */
  totalMicroUsd: MicroUsd
}

export type GetSpendHistoryErrorType = InvalidInputErrorType | BillingUnavailableErrorType

export const maxSpendHistoryBuckets = 366

const bucketMs: Record<SpendHistoryBucketSize, number> = { hour: 3_600_000, day: 86_400_000 }

/**
 * A wallet's charges per UTC hour or day, by capture time: what a spend chart plots. Held and
 * released requests cost nothing, so only CHARGED entries count. One grouped query; the buckets
 * with no charges are filled in here, so a chart needs no gaps logic.
 */
export async function getSpendHistory({
  database,
  walletAddress,
  bucket = 'day',
  count = 30,
  now = new Date(),
}: GetSpendHistoryParameters): Promise<GetSpendHistoryReturnType> {
  // Checked here too, not only by the router: `date_trunc` takes the unit as text, and a typo
  // would otherwise reach PostgreSQL as a data error.
  const size = Object.hasOwn(bucketMs, bucket) ? bucketMs[bucket] : undefined
  if (size === undefined)
    throw new InvalidInputError(`Invalid bucket ${JSON.stringify(bucket)}: expected hour or day.`, {
      issues: [{ path: 'bucket', message: 'expected "hour" or "day"' }],
    })
  if (!Number.isInteger(count) || count < 1 || count > maxSpendHistoryBuckets)
    throw new InvalidInputError(
      `Invalid count ${String(count)}: expected 1 to ${maxSpendHistoryBuckets}.`,
      {
        issues: [
          { path: 'count', message: `expected an integer from 1 to ${maxSpendHistoryBuckets}` },
        ],
      },
    )

  // UTC hours and days are whole multiples of the epoch's milliseconds (JavaScript time has no
  // leap seconds), so flooring matches what date_trunc does to the UTC timestamps we store.
  const current = Math.floor(now.getTime() / size) * size
  const from = new Date(current - (count - 1) * size)
  const until = new Date(current + size)

  let rows: { start: Date; chargedMicroUsd: bigint; requests: number }[]
  try {
    // SUM(bigint) is numeric in PostgreSQL: cast back so it arrives as a bigint, not a string.
    rows = await database.prisma.$queryRaw`
      SELECT date_trunc(${bucket}::text, "capturedAt") AS start,
        COALESCE(SUM("chargeMicroUsd"), 0)::bigint AS "chargedMicroUsd",
        COUNT(*)::int AS requests
      FROM "LedgerEntry"
      WHERE "walletAddress" = ${walletAddress.toLowerCase()}
        AND status = 'CHARGED'
        AND "capturedAt" >= ${from} AND "capturedAt" < ${until}
      GROUP BY 1`
  } catch (error) {
    throw toBillingError(error, 'read the spend history')
  }

  const byStart = new Map(rows.map((row) => [row.start.getTime(), row]))
  const buckets: SpendHistoryBucket[] = []
  let totalMicroUsd = 0n
  for (let start = from.getTime(); start <= current; start += size) {
    const row = byStart.get(start)
    const chargedMicroUsd = row?.chargedMicroUsd ?? 0n
    totalMicroUsd += chargedMicroUsd
    buckets.push({ start: new Date(start), chargedMicroUsd, requests: row?.requests ?? 0 })
  }
  return { bucket, buckets, totalMicroUsd }
}
