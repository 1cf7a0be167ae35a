import type { MutationOptions } from '@tanstack/query-core'
import type { SignInErrorType, SignInParameters, SignInReturnType } from '../actions/signIn.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type SignInOptions = ScopeKeyParameter

/** The mutation key of {@link signInMutationOptions}: `['accesspoint', 'signIn', scope]`. */
export function signInMutationKey(client: AccessPointClient, options: SignInOptions = {}) {
  return ['accesspoint', 'signIn', queryScope(client, options.scopeKey)] as const
}

export type SignInMutationKey = ReturnType<typeof signInMutationKey>
export type SignInVariables = SignInParameters
export type SignInData = SignInReturnType

/** TanStack Query options for `client.signIn()` (`mutate({})`, or `mutate({ force: true })`). */
export function signInMutationOptions(client: AccessPointClient, options: SignInOptions = {}) {
  return {
    mutationKey: signInMutationKey(client, options),
    mutationFn: (variables: SignInVariables) => client.signIn(variables),
  } as const satisfies MutationOptions<SignInData, SignInErrorType, SignInVariables>
}
