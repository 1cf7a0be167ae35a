import type { GetSpendHistoryErrorType } from '@accesspoint/client'
import {
  type SpendHistoryData,
  type SpendHistoryOptions,
  type SpendHistoryQueryFnData,
  type SpendHistoryQueryKey,
  spendHistoryQueryOptions,
} from '@accesspoint/client/query'
import { type UseQueryResult, useQuery } from '@tanstack/react-query'
import { useCanCall } from '../internal/useCanCall.js'
import type { QueryParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseSpendHistoryParameters = QueryParameter<
  SpendHistoryQueryFnData,
  GetSpendHistoryErrorType,
  SpendHistoryData,
  SpendHistoryQueryKey
> &
  Pick<SpendHistoryOptions, 'bucket' | 'count'>
export type UseSpendHistoryReturnType = UseQueryResult<SpendHistoryData, GetSpendHistoryErrorType>

/** Charges per UTC hour or day, oldest first, zero-filled, for a spend chart; refetched after completions and streams. Waits (disabled) until a wallet is connected. */
export function useSpendHistory(
  parameters: UseSpendHistoryParameters = {},
): UseSpendHistoryReturnType {
  const { scopeKey, bucket, count, query = {} } = parameters
  const client = useAccessPointClient()
  const canCall = useCanCall(client)
  const { enabled = true, ...rest } = query
  return useQuery({
    ...rest,
    ...spendHistoryQueryOptions(client, { scopeKey, bucket, count }),
    enabled: enabled && canCall,
  })
}
