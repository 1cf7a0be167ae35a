import type { GetBalanceErrorType } from '@accesspoint/client'
import {
  type BalanceData,
  type BalanceQueryFnData,
  type BalanceQueryKey,
  balanceQueryOptions,
} from '@accesspoint/client/query'
import { type UseQueryResult, useQuery } from '@tanstack/react-query'
import { useCanCall } from '../internal/useCanCall.js'
import type { QueryParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseBalanceParameters = QueryParameter<
  BalanceQueryFnData,
  GetBalanceErrorType,
  BalanceData,
  BalanceQueryKey
>
export type UseBalanceReturnType = UseQueryResult<BalanceData, GetBalanceErrorType>

/** Each pass's credit, pending, held and available amounts; refetched after completions and streams. Waits (disabled) until a wallet is connected. */
export function useBalance(parameters: UseBalanceParameters = {}): UseBalanceReturnType {
  const { scopeKey, query = {} } = parameters
  const client = useAccessPointClient()
  const canCall = useCanCall(client)
  const { enabled = true, ...rest } = query
  return useQuery({
    ...rest,
    ...balanceQueryOptions(client, { scopeKey }),
    enabled: enabled && canCall,
  })
}
