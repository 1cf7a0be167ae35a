import type { Address } from 'viem'
import { apiUrl } from './env'

/** What the app needs from `GET /.well-known/accesspoint` (the server's discovery document). */
export type Discovery = {
  name: string
  version: string
  siwe: { domain: string; uri: string; chainIds: number[] }
  chains: { chainId: number; passContracts: Address[] }[]
  /** The chain sign-in messages name first: the chain the app connects wallets to. */
  chainId: number
  /** The AccessPass contract on that chain, when the server names one. */
  passContract: Address | undefined
}

export class DiscoveryError extends Error {
  override name = 'DiscoveryError'
}

/** Fetches and checks the discovery document; throws a {@link DiscoveryError} with a reason. */
export async function fetchDiscovery(signal?: AbortSignal): Promise<Discovery> {
  const url = `${apiUrl}/.well-known/accesspoint`
  let response: Response
  try {
    response = await fetch(url, { signal: signal ?? null, headers: { accept: 'application/json' } })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new DiscoveryError(`No answer from ${apiUrl}.`, { cause: error })
  }
  if (!response.ok)
    throw new DiscoveryError(
      response.status >= 500
        ? `The server at ${apiUrl} is not answering yet (HTTP ${response.status}).`
        : `The discovery document answered HTTP ${response.status}.`,
    )
  let body: unknown
  try {
    body = await response.json()
  } catch (error) {
    throw new DiscoveryError(`${url} did not answer JSON: is this an AccessPoint server?`, {
      cause: error,
    })
  }
  return parseDiscovery(body)
}

function parseDiscovery(body: unknown): Discovery {
  const document = body as Partial<{
    service: string
    name: string
    version: string
    siwe: Partial<Discovery['siwe']>
    chains: { chainId?: unknown; passContracts?: unknown }[]
  }> | null
  if (document?.service !== 'accesspoint')
    throw new DiscoveryError('The discovery document is not from an AccessPoint server.')
  const chainIds = (document.siwe?.chainIds ?? []).filter((id) => Number.isInteger(id))
  const chainId = chainIds[0]
  if (chainId === undefined)
    throw new DiscoveryError('The server names no chain to sign in on (siwe.chainIds is empty).')
  const chains = (document.chains ?? []).map((chain) => ({
    chainId: Number(chain.chainId),
    passContracts: Array.isArray(chain.passContracts)
      ? chain.passContracts.filter((address): address is Address =>
          /^0x[0-9a-fA-F]{40}$/.test(String(address)),
        )
      : [],
  }))
  return {
    name: document.name ?? 'AccessPoint',
    version: document.version ?? '',
    siwe: {
      domain: document.siwe?.domain ?? '',
      uri: document.siwe?.uri ?? '',
      chainIds,
    },
    chains,
    chainId,
    passContract: chains.find((chain) => chain.chainId === chainId)?.passContracts[0],
  }
}
