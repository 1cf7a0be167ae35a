import type {
  CreateApiKeyErrorType,
  ListApiKeysErrorType,
  RevokeApiKeyErrorType,
} from '@accesspoint/client'
import {
  type ApiKeysData,
  type ApiKeysQueryFnData,
  type ApiKeysQueryKey,
  apiKeysQueryOptions,
  type CreateApiKeyData,
  type CreateApiKeyVariables,
  createApiKeyMutationOptions,
  type RevokeApiKeyData,
  type RevokeApiKeyVariables,
  revokeApiKeyMutationOptions,
} from '@accesspoint/client/query'
import {
  type UseMutationResult,
  type UseQueryResult,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query'
import { invalidate } from '../internal/invalidate.js'
import { useCanCall } from '../internal/useCanCall.js'
import type { QueryParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseApiKeysParameters = QueryParameter<
  ApiKeysQueryFnData,
  ListApiKeysErrorType,
  ApiKeysData,
  ApiKeysQueryKey
>

export type UseApiKeysReturnType = {
  /** The wallet's keys (the shown prefix, name, scopes; never the secret). */
  list: UseQueryResult<ApiKeysData, ListApiKeysErrorType>
  /** `mutate({ name })`; the result's `secret` is shown once, only here. */
  create: UseMutationResult<CreateApiKeyData, CreateApiKeyErrorType, CreateApiKeyVariables>
  revoke: UseMutationResult<RevokeApiKeyData, RevokeApiKeyErrorType, RevokeApiKeyVariables>
}

/** The connected wallet's API keys: the list, and mutations that create and revoke (refetching the list). */
export function useApiKeys(parameters: UseApiKeysParameters = {}): UseApiKeysReturnType {
  const { scopeKey, query = {} } = parameters
  const client = useAccessPointClient()
  const canCall = useCanCall(client)
  const queryClient = useQueryClient()
  const { enabled = true, ...rest } = query
  const list = useQuery({
    ...rest,
    ...apiKeysQueryOptions(client, { scopeKey }),
    enabled: enabled && canCall,
  })
  const onSuccess = () => invalidate(queryClient, ['apiKeys'])
  const create = useMutation<CreateApiKeyData, CreateApiKeyErrorType, CreateApiKeyVariables>({
    ...createApiKeyMutationOptions(client, { scopeKey }),
    onSuccess,
  })
  const revoke = useMutation<RevokeApiKeyData, RevokeApiKeyErrorType, RevokeApiKeyVariables>({
    ...revokeApiKeyMutationOptions(client, { scopeKey }),
    onSuccess,
  })
  return { list, create, revoke }
}
