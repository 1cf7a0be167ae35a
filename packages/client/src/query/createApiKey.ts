import type { MutationOptions } from '@tanstack/query-core'
import type {
  CreateApiKeyErrorType,
  CreateApiKeyParameters,
  CreateApiKeyReturnType,
} from '../actions/createApiKey.js'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { queryScope, type ScopeKeyParameter } from './queryScope.js'

export type CreateApiKeyOptions = ScopeKeyParameter

/** The mutation key of {@link createApiKeyMutationOptions}: `['accesspoint', 'createApiKey', scope]`. */
export function createApiKeyMutationKey(
  client: AccessPointClient,
  options: CreateApiKeyOptions = {},
) {
  return ['accesspoint', 'createApiKey', queryScope(client, options.scopeKey)] as const
}

export type CreateApiKeyMutationKey = ReturnType<typeof createApiKeyMutationKey>
export type CreateApiKeyVariables = CreateApiKeyParameters
export type CreateApiKeyData = CreateApiKeyReturnType

/** TanStack Query options for `client.keys.create()`; invalidate `['accesspoint', 'apiKeys']` on success. */
export function createApiKeyMutationOptions(
  client: AccessPointClient,
  options: CreateApiKeyOptions = {},
) {
  return {
    mutationKey: createApiKeyMutationKey(client, options),
    mutationFn: (variables: CreateApiKeyVariables) => client.keys.create(variables),
  } as const satisfies MutationOptions<
    CreateApiKeyData,
    CreateApiKeyErrorType,
    CreateApiKeyVariables
  >
}
