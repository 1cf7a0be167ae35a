import { version } from '../version.js'

export type GetDiscoveryDocumentParameters = {
  name: string
  siwe: {
    domain: string
    uri: string
    domains: readonly string[]
    uris: readonly string[]
    chainIds: readonly number[]
  }
  /** AccessPass contracts by chain id; empty until passes are configured. */
  passContracts?: readonly { chainId: number; address: string }[] | undefined
}

export type DiscoveryDocument = ReturnType<typeof getDiscoveryDocument>
export type GetDiscoveryDocumentReturnType = DiscoveryDocument

/** `GET /.well-known/accesspoint`: what clients and tools need to talk to this server. */
export function getDiscoveryDocument({
  name,
  siwe,
  passContracts = [],
}: GetDiscoveryDocumentParameters) {
  return {
    service: 'accesspoint',
    name,
    version,
    siwe: {
      // What clients put in their messages; every one of `domains` and `uris` is accepted.
      domain: siwe.domain,
      uri: siwe.uri,
      domains: [...siwe.domains],
      uris: [...siwe.uris],
      chainIds: [...siwe.chainIds],
    },
    chains: siwe.chainIds.map((chainId) => ({
      chainId,
      passContracts: passContracts
        .filter((contract) => contract.chainId === chainId)
        .map((contract) => contract.address),
    })),
    api: { trpc: '/trpc', health: '/healthz', ready: '/readyz' },
  }
}
