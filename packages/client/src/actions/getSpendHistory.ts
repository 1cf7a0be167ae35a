import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'

/** How long one bucket of the spend history is, in UTC. */
export type SpendHistoryBucketSize = 'hour' | 'day'

export type GetSpendHistoryParameters = {
  /** @default 'day' */
  bucket?: SpendHistoryBucketSize | undefined
  /** How many buckets, the current one included: 1 to 366. @default 30 */
  count?: number | undefined
  signal?: AbortSignal | undefined
}

/** The charges captured in one hour or day (micro-USD). */
export type SpendHistoryBucket = {
  /** The bucket's first instant (UTC). */
  start: Date
  chargedMicroUsd: bigint
  /** How many charged requests. */
  requests: number
}

export type GetSpendHistoryReturnType = {
  bucket: SpendHistoryBucketSize
  /** Exactly `count` buckets, oldest first, ending with the current one; empty ones are zero. */
  buckets: SpendHistoryBucket[]
  /** The sum over `buckets`. */
  totalMicroUsd: bigint
}

export type GetSpendHistoryErrorType = RequestErrorType

/** The caller's charges per UTC hour or day, ready to chart (`billing.spendHistory`). */
export async function getSpendHistory(
  client: AccessPointClient,
  parameters: GetSpendHistoryParameters = {},
): Promise<GetSpendHistoryReturnType> {
  const { signal, bucket, count } = parameters
  return getTransport(client).call(
    (trpc, options) => trpc.billing.spendHistory.query({ bucket, count }, options),
    { auth: 'caller', retry: true, signal },
  )
}
