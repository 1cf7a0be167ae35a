import type { QueryOptions } from '@tanstack/query-core'
import type { GetMeErrorType, GetMeReturnType } from '../actions/getMe.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type MeOptions = ScopeKeyParameter

/** The query key of {@link meQueryOptions}: `['accesspoint', 'me', scope]`. */
export function meQueryKey(client: AccessPointClient, options: MeOptions = {}) {
  return ['accesspoint', 'me', queryScope(client, options.scopeKey)] as const
}

export type MeQueryKey = ReturnType<typeof meQueryKey>
export type MeQueryFnData = GetMeReturnType
export type MeData = MeQueryFnData

/** TanStack Query options for `client.me()` (`useQuery(meQueryOptions(client))`). */
export function meQueryOptions(client: AccessPointClient, options: MeOptions = {}) {
  return {
    queryKey: meQueryKey(client, options),
    queryFn: ({ signal }: { signal: AbortSignal }) => client.me({ signal }),
  } as const satisfies QueryOptions<MeQueryFnData, GetMeErrorType, MeData, MeQueryKey>
}
