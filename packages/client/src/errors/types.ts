import type {
  NetworkErrorType,
  SignerRequiredErrorType,
  SignInRequiredErrorType,
} from './client.js'
import type {
  AccessPointErrorType,
  ForbiddenRoleErrorType,
  InvalidApiKeyErrorType,
  RateLimitedErrorType,
  SessionExpiredErrorType,
  UnauthenticatedErrorType,
} from './server.js'

/** What any authenticated call can fail with, before its own errors. */
export type RequestErrorType =
  | NetworkErrorType
  | SignerRequiredErrorType
  | SignInRequiredErrorType
  | UnauthenticatedErrorType
  | SessionExpiredErrorType
  | InvalidApiKeyErrorType
  | ForbiddenRoleErrorType
  | RateLimitedErrorType
  | AccessPointErrorType
