import type { GetMeErrorType } from '@accesspoint/client'
import {
  type MeData,
  type MeQueryFnData,
  type MeQueryKey,
  meQueryOptions,
} from '@accesspoint/client/query'
import { type UseQueryResult, useQuery } from '@tanstack/react-query'
import { useCanCall } from '../internal/useCanCall.js'
import type { QueryParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseAccessParameters = QueryParameter<MeQueryFnData, GetMeErrorType, MeData, MeQueryKey>
export type UseAccessReturnType = UseQueryResult<MeData, GetMeErrorType>

/** Who the connected wallet is to the server: address, roles (e.g. `holder`), passes, session. Waits (disabled) until a wallet is connected. */
export function useAccess(parameters: UseAccessParameters = {}): UseAccessReturnType {
  const { scopeKey, query = {} } = parameters
  const client = useAccessPointClient()
  const canCall = useCanCall(client)
  const { enabled = true, ...rest } = query
  return useQuery({
    ...rest,
    ...meQueryOptions(client, { scopeKey }),
    enabled: enabled && canCall,
  })
}
