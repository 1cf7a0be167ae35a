import type { Address } from 'viem'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { SignerRequiredErrorType } from '../errors/client.js'
import { getTransport } from '../internal/transports.js'

/**
 * Whether the client's wallet is signed in: `active` (a kept session calls can use), `expired`
 * (there was one and it is over: ran out, signed out elsewhere or revoked, as far as this client
 * has seen), or `none`. API-key clients are always `none`.
 */
export type GetSessionStateReturnType =
  | {
      status: 'active'
      id: string
      address: Address
      chainId: number
      expiresAt: Date
    }
  | {
      status: 'expired'
      id: string
      address: Address
      chainId: number
      expiresAt: Date
      /** When the server said it was over, if it ended before `expiresAt`. */
      endedAt: Date | undefined
    }
  | { status: 'none' }

export type GetSessionStateErrorType = SignerRequiredErrorType

/**
 * The kept session's state, read from the client's storage: no request, never a signature. What
 * a dapp checks to choose between "sign in", "your session expired" and the app itself.
 */
export async function getSessionState(
  client: AccessPointClient,
): Promise<GetSessionStateReturnType> {
  const sessions = getTransport(client).sessions
  if (!sessions) return { status: 'none' }
  const state = await sessions.state()
  if (state.status === 'none') return state
  const { id, address, chainId, expiresAt, endedAt } = state.session
  return state.status === 'active'
    ? { status: 'active', id, address, chainId, expiresAt }
    : { status: 'expired', id, address, chainId, expiresAt, endedAt }
}
