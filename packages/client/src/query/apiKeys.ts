import type { QueryOptions } from '@tanstack/query-core'
import type { ListApiKeysErrorType, ListApiKeysReturnType } from '../actions/listApiKeys.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type ApiKeysOptions = ScopeKeyParameter

/** The query key of {@link apiKeysQueryOptions}: `['accesspoint', 'apiKeys', scope]`. */
export function apiKeysQueryKey(client: AccessPointClient, options: ApiKeysOptions = {}) {
  return ['accesspoint', 'apiKeys', queryScope(client, options.scopeKey)] as const
}

export type ApiKeysQueryKey = ReturnType<typeof apiKeysQueryKey>
export type ApiKeysQueryFnData = ListApiKeysReturnType
export type ApiKeysData = ApiKeysQueryFnData

/** TanStack Query options for `client.keys.list()`. */
export function apiKeysQueryOptions(client: AccessPointClient, options: ApiKeysOptions = {}) {
  return {
    queryKey: apiKeysQueryKey(client, options),
    queryFn: ({ signal }: { signal: AbortSignal }) => client.keys.list({ signal }),
  } as const satisfies QueryOptions<
    ApiKeysQueryFnData,
    ListApiKeysErrorType,
    ApiKeysData,
    ApiKeysQueryKey
  >
}
