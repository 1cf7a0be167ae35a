import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'
import type { ApiKey } from '../types.js'

export type ListApiKeysParameters = { signal?: AbortSignal | undefined }

export type ListApiKeysReturnType = ApiKey[]

export type ListApiKeysErrorType = RequestErrorType

/** The wallet's API keys, newest first, never their secrets (`keys.list`; needs a session). */
export async function listApiKeys(
  client: AccessPointClient,
  parameters: ListApiKeysParameters = {},
): Promise<ListApiKeysReturnType> {
  return getTransport(client).call((trpc, options) => trpc.keys.list.query(undefined, options), {
    auth: 'session',
    retry: true,
    signal: parameters.signal,
  })
}
