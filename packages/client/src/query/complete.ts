import type { MutationOptions } from '@tanstack/query-core'
import type {
  CompleteErrorType,
  CompleteParameters,
  CompleteReturnType,
} from '../actions/complete.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type CompleteOptions = ScopeKeyParameter

/** The mutation key of {@link completeMutationOptions}: `['accesspoint', 'complete', scope]`. */
export function completeMutationKey(client: AccessPointClient, options: CompleteOptions = {}) {
  return ['accesspoint', 'complete', queryScope(client, options.scopeKey)] as const
}

export type CompleteMutationKey = ReturnType<typeof completeMutationKey>
export type CompleteVariables = CompleteParameters
export type CompleteData = CompleteReturnType

/** TanStack Query options for `client.complete()`. A mutation's own `retry` calls it again with the same variables: pass an `idempotencyKey` in them to make that safe too. */
export function completeMutationOptions(client: AccessPointClient, options: CompleteOptions = {}) {
  return {
    mutationKey: completeMutationKey(client, options),
    mutationFn: (variables: CompleteVariables) => client.complete(variables),
  } as const satisfies MutationOptions<CompleteData, CompleteErrorType, CompleteVariables>
}
