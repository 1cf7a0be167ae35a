import type { QueryOptions } from '@tanstack/query-core'
import type { GetBalanceErrorType, GetBalanceReturnType } from '../actions/getBalance.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type BalanceOptions = ScopeKeyParameter

/** The query key of {@link balanceQueryOptions}: `['accesspoint', 'balance', scope]`. */
export function balanceQueryKey(client: AccessPointClient, options: BalanceOptions = {}) {
  return ['accesspoint', 'balance', queryScope(client, options.scopeKey)] as const
}

export type BalanceQueryKey = ReturnType<typeof balanceQueryKey>
export type BalanceQueryFnData = GetBalanceReturnType
export type BalanceData = BalanceQueryFnData

/** TanStack Query options for `client.balance()`; invalidate `['accesspoint', 'balance']` after spending. */
export function balanceQueryOptions(client: AccessPointClient, options: BalanceOptions = {}) {
  return {
    queryKey: balanceQueryKey(client, options),
    queryFn: ({ signal }: { signal: AbortSignal }) => client.balance({ signal }),
  } as const satisfies QueryOptions<
    BalanceQueryFnData,
    GetBalanceErrorType,
    BalanceData,
    BalanceQueryKey
  >
}
