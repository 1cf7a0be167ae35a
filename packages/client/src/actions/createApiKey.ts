import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'
import type { ApiKey, ApiKeyScope } from '../types.js'

export type CreateApiKeyParameters = {
  /** 1 to 64 characters, to tell keys apart. */
  name: string
  /** The pass to bill; may be left out when the wallet holds exactly one. */
  passTokenId?: bigint | undefined
  /** @default ['ai', 'read'] */
  scopes?: ApiKeyScope[] | undefined
  /** 1 to 3650; no expiry when left out. */
  expiresInDays?: number | undefined
  signal?: AbortSignal | undefined
}

export type CreateApiKeyReturnType = {
  /** The key (`ap_live_...`), shown only now: store it safely. */
  secret: string
  key: ApiKey
}

export type CreateApiKeyErrorType = RequestErrorType

/** Creates an API key billed to one of the wallet's passes (`keys.create`; needs a session). */
export async function createApiKey(
  client: AccessPointClient,
  parameters: CreateApiKeyParameters,
): Promise<CreateApiKeyReturnType> {
  const { signal, ...input } = parameters
  // Not retried: a repeat after a lost answer would create a second key.
  return getTransport(client).call((trpc, options) => trpc.keys.create.mutate(input, options), {
    auth: 'session',
    retry: false,
    signal,
  })
}
