import type { Address } from 'viem'
import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { type InvalidResponseErrorType, SignerRequiredError } from '../errors/client.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'

export type SignInParameters = {
  /** Sign even when a usable session is kept (a new signature, a new session). */
  force?: boolean | undefined
}

/** The session the client now uses. */
export type SignInReturnType = {
  id: string
  address: Address
  chainId: number
  expiresAt: Date
  /** The bearer token (`ap_sess_...`), e.g. for the OpenAI-compatible API. Keep it secret. */
  token: string
}

export type SignInErrorType = InvalidResponseErrorType | RequestErrorType

/**
 * Makes sure the client has a session: the kept one while it is usable, else a Sign-In with
 * Ethereum (one signature). Other calls sign in by themselves when they need to; call this to
 * choose when the wallet asks (a "Sign in" button).
 */
export async function signIn(
  client: AccessPointClient,
  parameters: SignInParameters = {},
): Promise<SignInReturnType> {
  const { sessions } = getTransport(client)
  if (!sessions) throw new SignerRequiredError()
  const { id, address, chainId, expiresAt, token } = await sessions.signIn(parameters)
  return { id, address, chainId, expiresAt, token }
}
