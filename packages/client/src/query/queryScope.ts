import type { Address } from 'viem'
import type { AccessPointClient } from '../client/createAccessPointClient.js'

export type ScopeKeyParameter = {
  /** Keeps apart the cache entries of clients that would otherwise share keys. */
  scopeKey?: string | undefined
}

/** Who a cached value belongs to: the server and the wallet or API key asking. */
export type QueryScope = {
  url: string
  address?: Address
  apiKeyPrefix?: string
  scopeKey?: string
}

/**
 * The part of every query key that names the caller, so two wallets (or servers) sharing one
 * QueryClient never read each other's data. Only defined values are kept: keys stay equal
 * however a client was made.
 */
export function queryScope(client: AccessPointClient, scopeKey?: string | undefined): QueryScope {
  return {
    url: client.url,
    ...(client.address ? { address: client.address } : {}),
    ...(client.apiKeyPrefix ? { apiKeyPrefix: client.apiKeyPrefix } : {}),
    ...(scopeKey ? { scopeKey } : {}),
  }
}
