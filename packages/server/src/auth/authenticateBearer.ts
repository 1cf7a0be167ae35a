import { type ApiKeyStore, apiKeyPrefix } from '../keys/createApiKeyStore.js'
import type { SessionStore } from './createSessionStore.js'
import { UnauthenticatedError } from './errors.js'
import type { Principal } from './types.js'

export type AuthenticateBearerParameters = {
  /** The `Authorization` header as received. */
  authorization: string | undefined
  sessions: Pick<SessionStore, 'authenticate'>
  apiKeys: Pick<ApiKeyStore, 'authenticate'>
}

export type AuthenticateBearerReturnType = Principal

/** Resolves `Authorization: Bearer <session token | API key>` to the caller, from memory when cached. */
export async function authenticateBearer({
  authorization,
  sessions,
  apiKeys,
}: AuthenticateBearerParameters): Promise<AuthenticateBearerReturnType> {
  if (!authorization)
    throw new UnauthenticatedError(
      'Sign in with your wallet, or send an API key as "Authorization: Bearer ap_live_...".',
    )
  const match = /^Bearer +(\S+) *$/i.exec(authorization)
  const token = match?.[1]
  if (!token)
    throw new UnauthenticatedError('The Authorization header must be "Bearer <token or API key>".')
  return token.startsWith(apiKeyPrefix) ? apiKeys.authenticate(token) : sessions.authenticate(token)
}
