import type { MutationOptions } from '@tanstack/query-core'
import type { SignOutErrorType, SignOutParameters, SignOutReturnType } from '../actions/signOut.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type SignOutOptions = ScopeKeyParameter

/** The mutation key of {@link signOutMutationOptions}: `['accesspoint', 'signOut', scope]`. */
export function signOutMutationKey(client: AccessPointClient, options: SignOutOptions = {}) {
  return ['accesspoint', 'signOut', queryScope(client, options.scopeKey)] as const
}

export type SignOutMutationKey = ReturnType<typeof signOutMutationKey>
export type SignOutVariables = SignOutParameters
export type SignOutData = SignOutReturnType

/** TanStack Query options for `client.signOut()` (`mutate({})`). */
export function signOutMutationOptions(client: AccessPointClient, options: SignOutOptions = {}) {
  return {
    mutationKey: signOutMutationKey(client, options),
    mutationFn: (variables: SignOutVariables) => client.signOut(variables),
  } as const satisfies MutationOptions<SignOutData, SignOutErrorType, SignOutVariables>
}
