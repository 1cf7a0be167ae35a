import type { InfiniteData, InfiniteQueryObserverOptions } from '@tanstack/query-core'
import type { GetUsageErrorType, GetUsageReturnType } from '../actions/getUsage.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type UsageOptions = ScopeKeyParameter & {
  /** Rows per page, 1 to 100. @default 25 */
  limit?: number | undefined
}

/** The query key of {@link usageInfiniteQueryOptions}: `['accesspoint', 'usage', scope]`. */
export function usageQueryKey(client: AccessPointClient, options: UsageOptions = {}) {
  const { scopeKey, limit } = options
  return [
    'accesspoint',
    'usage',
    { ...queryScope(client, scopeKey), ...(limit === undefined ? {} : { limit }) },
  ] as const
}

export type UsageQueryKey = ReturnType<typeof usageQueryKey>
export type UsageQueryFnData = GetUsageReturnType
/** Cursor of a page; `undefined` for the first (newest). */
export type UsagePageParam = string | undefined
export type UsageData = InfiniteData<UsageQueryFnData, UsagePageParam>

/**
 * TanStack Query options for the ledger, newest first, one `nextCursor` page at a time
 * (`useInfiniteQuery(usageInfiniteQueryOptions(client))`).
 */
export function usageInfiniteQueryOptions(client: AccessPointClient, options: UsageOptions = {}) {
  return {
    queryKey: usageQueryKey(client, options),
    queryFn: ({ pageParam, signal }: { pageParam: UsagePageParam; signal: AbortSignal }) =>
      client.usage({ cursor: pageParam, limit: options.limit, signal }),
    initialPageParam: undefined as UsagePageParam,
    getNextPageParam: (lastPage: UsageQueryFnData): UsagePageParam =>
      lastPage.nextCursor ?? undefined,
  } as const satisfies InfiniteQueryObserverOptions<
    UsageQueryFnData,
    GetUsageErrorType,
    UsageData,
    UsageQueryKey,
    UsagePageParam
  >
}
