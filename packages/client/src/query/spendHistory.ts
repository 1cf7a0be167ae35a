import type { QueryOptions } from '@tanstack/query-core'
import type {
  GetSpendHistoryErrorType,
  GetSpendHistoryReturnType,
  SpendHistoryBucketSize,
} from '../actions/getSpendHistory.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type SpendHistoryOptions = ScopeKeyParameter & {
  /** @default 'day' */
  bucket?: SpendHistoryBucketSize | undefined
  /** How many buckets, 1 to 366. @default 30 */
  count?: number | undefined
}

/** The query key of {@link spendHistoryQueryOptions}: `['accesspoint', 'spendHistory', scope]`. */
export function spendHistoryQueryKey(client: AccessPointClient, options: SpendHistoryOptions = {}) {
  const { scopeKey, bucket, count } = options
  return [
    'accesspoint',
    'spendHistory',
    {
      ...queryScope(client, scopeKey),
      ...(bucket === undefined ? {} : { bucket }),
      ...(count === undefined ? {} : { count }),
    },
  ] as const
}

export type SpendHistoryQueryKey = ReturnType<typeof spendHistoryQueryKey>
export type SpendHistoryQueryFnData = GetSpendHistoryReturnType
export type SpendHistoryData = SpendHistoryQueryFnData

/**
 * TanStack Query options for `client.spendHistory()`; invalidate
 * `['accesspoint', 'spendHistory']` after spending.
 */
export function spendHistoryQueryOptions(
  client: AccessPointClient,
  options: SpendHistoryOptions = {},
) {
  return {
    queryKey: spendHistoryQueryKey(client, options),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      client.spendHistory({ bucket: options.bucket, count: options.count, signal }),
  } as const satisfies QueryOptions<
    SpendHistoryQueryFnData,
    GetSpendHistoryErrorType,
    SpendHistoryData,
    SpendHistoryQueryKey
  >
}
