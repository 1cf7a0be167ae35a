import type { Address, Hex } from 'viem'
import { createSiweMessage } from 'viem/siwe'
import { InvalidResponseError } from '../errors/client.js'
import type { StoredSession } from './createSessionManager.js'
import type { Transport } from './createTransport.js'

export type SignInWithEthereumParameters = {
  transport: Pick<Transport, 'call' | 'url'>
  address: Address
  /** Signs an EIP-191 personal message with the wallet. */
  signMessage: (message: string) => Promise<Hex>
  /** The chain to name; otherwise the wallet's, when the server accepts it, else the server's first. */
  chainId?: number | undefined
  walletChainId?: (() => Promise<number | undefined>) | undefined
  statement?: string | undefined
}

/**
 * One Sign-In with Ethereum round: a nonce from the server (with the domain, URI and chains it
 * accepts), the EIP-4361 message built with viem's `createSiweMessage` (the strict parser in
 * `@accesspoint/core` stays on the server, out of browser bundles), one signature, and the
 * exchange for a session token.
 */
export async function signInWithEthereum({
  transport,
  address,
  signMessage,
  chainId,
  walletChainId,
  statement,
}: SignInWithEthereumParameters): Promise<StoredSession> {
  // A nonce costs nothing to ask for again, so any transient failure is retried.
  const nonce = await transport.call(
    (trpc, options) => trpc.auth.nonce.mutate(undefined, options),
    { auth: 'none', retry: true },
  )
  const accepted = nonce.chainIds
  const walletChain = chainId === undefined ? await walletChainId?.() : undefined
  const chain =
    chainId ??
    (walletChain !== undefined && accepted.includes(walletChain) ? walletChain : accepted[0])
  if (chain === undefined)
    throw new InvalidResponseError('The server named no chain to sign in on (auth.nonce).')

  const message = createSiweMessage({
    domain: nonce.domain,
    uri: nonce.uri,
    address,
    chainId: chain,
    nonce: nonce.nonce,
    version: '1',
    issuedAt: new Date(),
    ...(statement ? { statement } : {}),
  })
  const signature = await signMessage(message)

  const result = await transport.call(
    (trpc, options) => trpc.auth.signIn.mutate({ message, signature }, options),
    {
      auth: 'none',
      // Only errors the server raised before consuming the nonce are retried (rate limits,
      // an unreachable chain). After a network error the nonce may be spent; a retry would
      // fail anyway, and signing again is the caller's decision.
      retry: (error) => error.code !== 'NETWORK_ERROR',
    },
  )
  return {
    token: result.token,
    id: result.session.id,
    address: result.session.address,
    chainId: result.session.chainId,
    expiresAt: result.session.expiresAt,
    createdAt: new Date(),
    url: transport.url,
  }
}
