import type { MutationOptions } from '@tanstack/query-core'
import type {
  RevokeApiKeyErrorType,
  RevokeApiKeyParameters,
  RevokeApiKeyReturnType,
} from '../actions/revokeApiKey.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type RevokeApiKeyOptions = ScopeKeyParameter

/** The mutation key of {@link revokeApiKeyMutationOptions}: `['accesspoint', 'revokeApiKey', scope]`. */
export function revokeApiKeyMutationKey(
  client: AccessPointClient,
  options: RevokeApiKeyOptions = {},
) {
  return ['accesspoint', 'revokeApiKey', queryScope(client, options.scopeKey)] as const
}

export type RevokeApiKeyMutationKey = ReturnType<typeof revokeApiKeyMutationKey>
export type RevokeApiKeyVariables = RevokeApiKeyParameters
export type RevokeApiKeyData = RevokeApiKeyReturnType

/** TanStack Query options for `client.keys.revoke()`; invalidate `['accesspoint', 'apiKeys']` on success. */
export function revokeApiKeyMutationOptions(
  client: AccessPointClient,
  options: RevokeApiKeyOptions = {},
) {
  return {
    mutationKey: revokeApiKeyMutationKey(client, options),
    mutationFn: (variables: RevokeApiKeyVariables) => client.keys.revoke(variables),
  } as const satisfies MutationOptions<
    RevokeApiKeyData,
    RevokeApiKeyErrorType,
    RevokeApiKeyVariables
  >
}
