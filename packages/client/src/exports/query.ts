// TanStack Query option factories (wagmi's pattern): plain `{ queryKey, queryFn }` and
// `{ mutationKey, mutationFn }` objects for `useQuery`, `useMutation`, `queryClient.fetchQuery`.
// Every key starts with 'accesspoint' and names the caller (see `queryScope`).
export {
  type ApiKeysData,
  type ApiKeysOptions,
  type ApiKeysQueryFnData,
  type ApiKeysQueryKey,
  apiKeysQueryKey,
  apiKeysQueryOptions,
} from '../query/apiKeys.js'
export {
  type BalanceData,
  type BalanceOptions,
  type BalanceQueryFnData,
  type BalanceQueryKey,
  balanceQueryKey,
  balanceQueryOptions,
} from '../query/balance.js'
export {
  type CompleteData,
  type CompleteMutationKey,
  type CompleteOptions,
  type CompleteVariables,
  completeMutationKey,
  completeMutationOptions,
} from '../query/complete.js'
export {
  type CreateApiKeyData,
  type CreateApiKeyMutationKey,
  type CreateApiKeyOptions,
  type CreateApiKeyVariables,
  createApiKeyMutationKey,
  createApiKeyMutationOptions,
} from '../query/createApiKey.js'
export {
  type MeData,
  type MeOptions,
  type MeQueryFnData,
  type MeQueryKey,
  meQueryKey,
  meQueryOptions,
} from '../query/me.js'
export {
  type ModelsData,
  type ModelsOptions,
  type ModelsQueryFnData,
  type ModelsQueryKey,
  modelsQueryKey,
  modelsQueryOptions,
} from '../query/models.js'
export { type QueryScope, queryScope, type ScopeKeyParameter } from '../query/queryScope.js'
export {
  type RevokeApiKeyData,
  type RevokeApiKeyMutationKey,
  type RevokeApiKeyOptions,
  type RevokeApiKeyVariables,
  revokeApiKeyMutationKey,
  revokeApiKeyMutationOptions,
} from '../query/revokeApiKey.js'
export {
  type SessionStateData,
  type SessionStateOptions,
  type SessionStateQueryFnData,
  type SessionStateQueryKey,
  sessionStateQueryKey,
  sessionStateQueryOptions,
} from '../query/sessionState.js'
export {
  type SignInData,
  type SignInMutationKey,
  type SignInOptions,
  type SignInVariables,
  signInMutationKey,
  signInMutationOptions,
} from '../query/signIn.js'
export {
  type SignOutData,
  type SignOutMutationKey,
  type SignOutOptions,
  type SignOutVariables,
  signOutMutationKey,
  signOutMutationOptions,
} from '../query/signOut.js'
export {
  type SpendHistoryData,
  type SpendHistoryOptions,
  type SpendHistoryQueryFnData,
  type SpendHistoryQueryKey,
  spendHistoryQueryKey,
  spendHistoryQueryOptions,
} from '../query/spendHistory.js'
export {
  type UsageData,
  type UsageOptions,
  type UsagePageParam,
  type UsageQueryFnData,
  type UsageQueryKey,
  usageInfiniteQueryOptions,
  usageQueryKey,
} from '../query/usage.js'
