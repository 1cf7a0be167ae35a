import type { GetSessionErrorType, GetSessionReturnType } from '@accesspoint/client'
import { queryScope } from '@accesspoint/client/query'
import { type UseQueryResult, useQuery } from '@tanstack/react-query'
import { hasCaller, type QueryParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseSessionData = GetSessionReturnType
export type UseSessionParameters = QueryParameter<
  GetSessionReturnType,
  GetSessionErrorType,
  UseSessionData
>
export type UseSessionReturnType = UseQueryResult<UseSessionData, GetSessionErrorType>

/**
 * The wallet's current session as the server sees it. Fetching it signs in when there is none,
 * so it is disabled until enabled by the caller (`query: { enabled: true }`) — typically after
 * `useSignIn` succeeded.
 */
export function useSession(parameters: UseSessionParameters = {}): UseSessionReturnType {
  const { scopeKey, query = {} } = parameters
  const client = useAccessPointClient()
  const { enabled = false, ...rest } = query
  return useQuery({
    ...rest,
    // The client has no option factory for sessions; same key shape as the others.
    queryKey: ['accesspoint', 'session', queryScope(client, scopeKey)],
    queryFn: ({ signal }) => client.session({ signal }),
    enabled: enabled && hasCaller(client),
  })
}
