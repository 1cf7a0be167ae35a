import type { GetSessionStateErrorType, GetSessionStateReturnType } from '@accesspoint/client'
import type { SessionStateQueryKey } from '@accesspoint/client/query'
import { sessionStateQueryOptions } from '@accesspoint/client/query'
import { type UseQueryResult, useQuery } from '@tanstack/react-query'
import type { QueryParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseSessionData = GetSessionStateReturnType
export type UseSessionParameters = QueryParameter<
  GetSessionStateReturnType,
  GetSessionStateErrorType,
  UseSessionData,
  SessionStateQueryKey
>
export type UseSessionReturnType = UseQueryResult<UseSessionData, GetSessionStateErrorType>

/**
 * The connected wallet's session: `data.status` is `active` (signed in, with `expiresAt`),
 * `expired` (it ran out, or the server ended it: show "sign in again"), or `none`. Read from the
 * kept session, so it never asks the wallet or the server; re-read after sign-in and sign-out,
 * when a call finds the session gone, and every 15 s so expiry shows on time.
 */
export function useSession(parameters: UseSessionParameters = {}): UseSessionReturnType {
  const { scopeKey, query = {} } = parameters
  const client = useAccessPointClient()
  const { enabled = true, ...rest } = query
  return useQuery({
    refetchInterval: 15_000,
    ...rest,
    ...sessionStateQueryOptions(client, { scopeKey }),
    enabled: enabled && client.address !== undefined,
  })
}
