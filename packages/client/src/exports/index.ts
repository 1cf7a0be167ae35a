// Actions: each also a method of the client (`client.complete(...)` = `complete(client, ...)`).
export {
  type CompleteErrorType,
  type CompleteParameters,
  type CompleteReturnType,
  complete,
} from '../actions/complete.js'
export {
  type CreateApiKeyErrorType,
  type CreateApiKeyParameters,
  type CreateApiKeyReturnType,
  createApiKey,
} from '../actions/createApiKey.js'
export {
  type GetBalanceErrorType,
  type GetBalanceParameters,
  type GetBalanceReturnType,
  getBalance,
  type PassBalance,
} from '../actions/getBalance.js'
export {
  type GetMeErrorType,
  type GetMeParameters,
  type GetMeReturnType,
  getMe,
} from '../actions/getMe.js'
export {
  type GetModelsErrorType,
  type GetModelsParameters,
  type GetModelsReturnType,
  getModels,
  type Model,
} from '../actions/getModels.js'
export {
  type GetSessionErrorType,
  type GetSessionParameters,
  type GetSessionReturnType,
  getSession,
} from '../actions/getSession.js'
export {
  type GetSessionStateErrorType,
  type GetSessionStateReturnType,
  getSessionState,
} from '../actions/getSessionState.js'
export {
  type GetSpendHistoryErrorType,
  type GetSpendHistoryParameters,
  type GetSpendHistoryReturnType,
  getSpendHistory,
  type SpendHistoryBucket,
  type SpendHistoryBucketSize,
} from '../actions/getSpendHistory.js'
export {
  type GetUsageErrorType,
  type GetUsageParameters,
  type GetUsageReturnType,
  getUsage,
  type UsageRow,
} from '../actions/getUsage.js'
export {
  type ListApiKeysErrorType,
  type ListApiKeysParameters,
  type ListApiKeysReturnType,
  listApiKeys,
} from '../actions/listApiKeys.js'
export {
  type RevokeApiKeyErrorType,
  type RevokeApiKeyParameters,
  type RevokeApiKeyReturnType,
  revokeApiKey,
} from '../actions/revokeApiKey.js'
export {
  type SignInErrorType,
  type SignInParameters,
  type SignInReturnType,
  signIn,
} from '../actions/signIn.js'
export {
  type SignOutErrorType,
  type SignOutParameters,
  type SignOutReturnType,
  signOut,
} from '../actions/signOut.js'
export {
  type StreamDeltaEvent,
  type StreamDoneEvent,
  type StreamErrorType,
  type StreamEvent,
  type StreamParameters,
  type StreamReturnType,
  stream,
} from '../actions/stream.js'
// Client
export {
  type AccessPointClient,
  type CreateAccessPointClientParameters,
  type CreateAccessPointClientReturnType,
  createAccessPointClient,
} from '../client/createAccessPointClient.js'
// Errors
export {
  BaseError,
  type BaseErrorParameters,
  type BaseErrorType,
  type ClientErrorCode,
} from '../errors/base.js'
export {
  InvalidResponseError,
  type InvalidResponseErrorType,
  NetworkError,
  type NetworkErrorType,
  SignerRequiredError,
  type SignerRequiredErrorType,
  SignInRequiredError,
  type SignInRequiredErrorType,
  UnsupportedRuntimeError,
  type UnsupportedRuntimeErrorType,
} from '../errors/client.js'
export {
  AccessPointError,
  type AccessPointErrorParameters,
  type AccessPointErrorType,
  ForbiddenRoleError,
  type ForbiddenRoleErrorType,
  InsufficientBalanceError,
  type InsufficientBalanceErrorType,
  InvalidApiKeyError,
  type InvalidApiKeyErrorType,
  ModelNotFoundError,
  type ModelNotFoundErrorType,
  PaymentFailedError,
  type PaymentFailedErrorType,
  ProviderUnavailableError,
  type ProviderUnavailableErrorType,
  RateLimitedError,
  type RateLimitedErrorType,
  SessionExpiredError,
  type SessionExpiredErrorType,
  UnauthenticatedError,
  type UnauthenticatedErrorType,
} from '../errors/server.js'
export type { RequestErrorType } from '../errors/types.js'
export type {
  EventSourceConstructor,
  EventSourceInit,
  EventSourceInstance,
} from '../internal/resolveEventSource.js'
// Session storage
export {
  type LocalStorageStorageParameters,
  type LocalStorageStorageReturnType,
  localStorageStorage,
} from '../storage/localStorageStorage.js'
export { type MemoryStorageReturnType, memoryStorage } from '../storage/memoryStorage.js'
export type { SessionStorage } from '../storage/types.js'
// Shared types
export type {
  ApiKey,
  ApiKeyScope,
  ChatMessage,
  ChatParameters,
  Fetch,
  PassRef,
  TokenUsage,
} from '../types.js'
export type { RetryOptions } from '../utils/getRetryDelay.js'
export { version } from '../version.js'
