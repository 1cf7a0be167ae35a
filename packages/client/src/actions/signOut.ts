import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { NetworkErrorType } from '../errors/client.js'
import type { AccessPointErrorType } from '../errors/server.js'
import { getTransport } from '../internal/transports.js'

export type SignOutParameters = { signal?: AbortSignal | undefined }

export type SignOutReturnType = {
  /** Whether there was a session to end (false for API-key clients and when signed out). */
  signedOut: boolean
}

export type SignOutErrorType = NetworkErrorType | AccessPointErrorType

/**
 * Ends the kept session on the server (its token stops working at once) and forgets it. Never
 * asks for a signature: without a kept session there is nothing to end.
 */
export async function signOut(
  client: AccessPointClient,
  parameters: SignOutParameters = {},
): Promise<SignOutReturnType> {
  const transport = getTransport(client)
  const session = await transport.sessions?.peek()
  if (!session) return { signedOut: false }
  try {
    await transport.call(
      (trpc, options) =>
        trpc.auth.signOut.mutate(undefined, { ...options, context: { token: session.token } }),
      { auth: 'none', retry: true, signal: parameters.signal },
    )
  } catch (error) {
    // Already over on the server (expired, revoked): forgetting it is all that is left.
    if (!transport.isSessionLost(error)) throw error
  }
  await transport.sessions?.clear()
  return { signedOut: true }
}
