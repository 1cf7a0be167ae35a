import type { QueryOptions } from '@tanstack/query-core'
import type {
  GetSessionStateErrorType,
  GetSessionStateReturnType,
} from '../actions/getSessionState.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type SessionStateOptions = ScopeKeyParameter

/** The query key of {@link sessionStateQueryOptions}: `['accesspoint', 'sessionState', scope]`. */
export function sessionStateQueryKey(client: AccessPointClient, options: SessionStateOptions = {}) {
  return ['accesspoint', 'sessionState', queryScope(client, options.scopeKey)] as const
}

export type SessionStateQueryKey = ReturnType<typeof sessionStateQueryKey>
export type SessionStateQueryFnData = GetSessionStateReturnType
export type SessionStateData = SessionStateQueryFnData

/**
 * TanStack Query options for `client.sessionState()`: read from storage, so cheap to refetch
 * and never a wallet prompt (`useQuery(sessionStateQueryOptions(client))`).
 */
export function sessionStateQueryOptions(
  client: AccessPointClient,
  options: SessionStateOptions = {},
) {
  return {
    queryKey: sessionStateQueryKey(client, options),
    queryFn: () => client.sessionState(),
  } as const satisfies QueryOptions<
    SessionStateQueryFnData,
    GetSessionStateErrorType,
    SessionStateData,
    SessionStateQueryKey
  >
}
