export {
  AccessPointProvider,
  type AccessPointProviderProps,
} from '../AccessPointProvider.js'
export {
  type UseAccessParameters,
  type UseAccessReturnType,
  useAccess,
} from '../hooks/useAccess.js'
export { useAccessPointClient } from '../hooks/useAccessPointClient.js'
export {
  type UseApiKeysParameters,
  type UseApiKeysReturnType,
  useApiKeys,
} from '../hooks/useApiKeys.js'
export {
  type UseBalanceParameters,
  type UseBalanceReturnType,
  useBalance,
} from '../hooks/useBalance.js'
export {
  type ChatStreamState,
  type ChatStreamStatus,
  type UseChatStreamReturnType,
  useChatStream,
} from '../hooks/useChatStream.js'
export {
  type UseCompletionParameters,
  type UseCompletionReturnType,
  useCompletion,
} from '../hooks/useCompletion.js'
export {
  type UseModelsParameters,
  type UseModelsReturnType,
  useModels,
} from '../hooks/useModels.js'
export {
  type UseSessionData,
  type UseSessionParameters,
  type UseSessionReturnType,
  useSession,
} from '../hooks/useSession.js'
export {
  type UseSignInParameters,
  type UseSignInReturnType,
  useSignIn,
} from '../hooks/useSignIn.js'
export {
  type UseSignOutParameters,
  type UseSignOutReturnType,
  useSignOut,
} from '../hooks/useSignOut.js'
export {
  type UseSpendHistoryParameters,
  type UseSpendHistoryReturnType,
  useSpendHistory,
} from '../hooks/useSpendHistory.js'
export {
  type UseUsageParameters,
  type UseUsageReturnType,
  useUsage,
} from '../hooks/useUsage.js'
export type {
  InfiniteQueryParameter,
  MutationParameter,
  QueryParameter,
} from '../types.js'
