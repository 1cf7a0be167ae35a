import type { Address } from 'viem'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'

export type GetSessionParameters = { signal?: AbortSignal | undefined }

/** The session as the server sees it. */
export type GetSessionReturnType = {
  id: string
  address: Address
  chainId: number
  expiresAt: Date
}

export type GetSessionErrorType = RequestErrorType

/** The current wallet session (`auth.session`); signs in first when there is none. */
export async function getSession(
  client: AccessPointClient,
  parameters: GetSessionParameters = {},
): Promise<GetSessionReturnType> {
  return getTransport(client).call((trpc, options) => trpc.auth.session.query(undefined, options), {
    auth: 'session',
    retry: true,
    signal: parameters.signal,
  })
}
