import type { Address } from 'viem'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'
import type { ApiKeyScope, PassRef } from '../types.js'

export type GetMeParameters = { signal?: AbortSignal | undefined }

export type GetMeReturnType = {
  /** Lower-case. */
  address: Address
  /** The roles the wallet holds now, e.g. `['holder']`. */
  roles: string[]
  /** The wallet's passes with their on-chain credit (micro-USD). */
  passes: (PassRef & { creditMicroUsd: bigint })[]
  /** Set when called with a session. */
  session: { id: string; chainId: number; expiresAt: Date } | null
  /** Set when called with an API key. */
  apiKey: {
    id: string
    scopes: ApiKeyScope[]
    pass: PassRef | null
    expiresAt: Date | null
  } | null
}

export type GetMeErrorType = RequestErrorType

/** Who the caller is (`access.me`): address, roles, passes, and the session or key in use. */
export async function getMe(
  client: AccessPointClient,
  parameters: GetMeParameters = {},
): Promise<GetMeReturnType> {
  return getTransport(client).call((trpc, options) => trpc.access.me.query(undefined, options), {
    auth: 'caller',
    retry: true,
    signal: parameters.signal,
  })
}
