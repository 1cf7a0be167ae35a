import type { GetUsageErrorType } from '@accesspoint/client'
import {
  type UsageData,
  type UsagePageParam,
  type UsageQueryFnData,
  type UsageQueryKey,
  usageInfiniteQueryOptions,
} from '@accesspoint/client/query'
import { type UseInfiniteQueryResult, useInfiniteQuery } from '@tanstack/react-query'
import { useCanCall } from '../internal/useCanCall.js'
import type { InfiniteQueryParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseUsageParameters = InfiniteQueryParameter<
  UsageQueryFnData,
  GetUsageErrorType,
  UsageData,
  UsageQueryKey,
  UsagePageParam
> & {
  /** Rows per page, 1 to 100. @default 25 */
  limit?: number | undefined
}
export type UseUsageReturnType = UseInfiniteQueryResult<UsageData, GetUsageErrorType>

/** The ledger, newest first, a page at a time (`fetchNextPage()`). Waits until a wallet is connected. */
export function useUsage(parameters: UseUsageParameters = {}): UseUsageReturnType {
  const { scopeKey, limit, query = {} } = parameters
  const client = useAccessPointClient()
  const canCall = useCanCall(client)
  const { enabled = true, ...rest } = query
  return useInfiniteQuery({
    ...rest,
    ...usageInfiniteQueryOptions(client, { scopeKey, limit }),
    enabled: enabled && canCall,
  })
}
