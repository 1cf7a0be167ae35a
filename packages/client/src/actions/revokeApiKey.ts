import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'
import type { ApiKey } from '../types.js'

export type RevokeApiKeyParameters = {
  id: string
  signal?: AbortSignal | undefined
}

/** The key as it is now (with `revokedAt`). */
export type RevokeApiKeyReturnType = ApiKey

export type RevokeApiKeyErrorType = RequestErrorType

/** Revokes an API key at once (`keys.revoke`; needs a session). */
export async function revokeApiKey(
  client: AccessPointClient,
  parameters: RevokeApiKeyParameters,
): Promise<RevokeApiKeyReturnType> {
  const { signal, id } = parameters
  // Revoking twice leaves the same state, so a retry after a lost answer is safe.
  return getTransport(client).call((trpc, options) => trpc.keys.revoke.mutate({ id }, options), {
    auth: 'session',
    retry: true,
    signal,
  })
}
