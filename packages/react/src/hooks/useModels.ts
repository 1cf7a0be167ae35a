import type { GetModelsErrorType } from '@accesspoint/client'
import {
  type ModelsData,
  type ModelsQueryFnData,
  type ModelsQueryKey,
  modelsQueryOptions,
} from '@accesspoint/client/query'
import { type UseQueryResult, useQuery } from '@tanstack/react-query'
import { useCanCall } from '../internal/useCanCall.js'
import type { QueryParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseModelsParameters = QueryParameter<
  ModelsQueryFnData,
  GetModelsErrorType,
  ModelsData,
  ModelsQueryKey
>
export type UseModelsReturnType = UseQueryResult<ModelsData, GetModelsErrorType>

/** The models the caller may use, with prices. Waits (disabled) until a wallet is connected. */
export function useModels(parameters: UseModelsParameters = {}): UseModelsReturnType {
  const { scopeKey, query = {} } = parameters
  const client = useAccessPointClient()
  const canCall = useCanCall(client)
  const { enabled = true, ...rest } = query
  return useQuery({
    ...rest,
    ...modelsQueryOptions(client, { scopeKey }),
    enabled: enabled && canCall,
  })
}
