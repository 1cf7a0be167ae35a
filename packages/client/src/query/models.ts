import type { QueryOptions } from '@tanstack/query-core'
import type { GetModelsErrorType, GetModelsReturnType } from '../actions/getModels.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type ModelsOptions = ScopeKeyParameter

/** The query key of {@link modelsQueryOptions}: `['accesspoint', 'models', scope]`. */
export function modelsQueryKey(client: AccessPointClient, options: ModelsOptions = {}) {
  return ['accesspoint', 'models', queryScope(client, options.scopeKey)] as const
}

export type ModelsQueryKey = ReturnType<typeof modelsQueryKey>
export type ModelsQueryFnData = GetModelsReturnType
export type ModelsData = ModelsQueryFnData

/** TanStack Query options for `client.models()`. */
export function modelsQueryOptions(client: AccessPointClient, options: ModelsOptions = {}) {
  return {
    queryKey: modelsQueryKey(client, options),
    queryFn: ({ signal }: { signal: AbortSignal }) => client.models({ signal }),
  } as const satisfies QueryOptions<
    ModelsQueryFnData,
    GetModelsErrorType,
    ModelsData,
    ModelsQueryKey
  >
}
