import { anvilChainId, devAccounts } from '@accesspoint/contracts'
import { type Chain, defineChain } from 'viem'
import { anvil } from 'viem/chains'
import { type Config, type CreateConnectorFn, createConfig, http, injected } from 'wagmi'
import { devAccountConnector } from '../wallet/devAccountConnector'
import type { Discovery } from './discovery'
import { rpcUrl } from './env'

/** Whether the server runs on the local dev chain (anvil), where dev accounts can connect. */
export function isDevChain(chainId: number): boolean {
  return chainId === anvilChainId
}

/** The chain wallets must be on: the first chain the server accepts sign-ins for. */
export function chainFor(discovery: Discovery): Chain {
  const rpcUrls = { default: { http: [rpcUrl] } }
  if (isDevChain(discovery.chainId))
    return defineChain({ ...anvil, name: 'Anvil (dev chain)', rpcUrls })
  // Another chain: enough for wagmi to check the wallet's chain and send transactions.
  return defineChain({
    id: discovery.chainId,
    name: `Chain ${discovery.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls,
  })
}

/**
 * wagmi for this server: its chain, a browser wallet (`injected`) and, on the dev chain, each of
 * anvil's ten accounts as a one-click wallet. State (the last connector, connections) is kept in
 * localStorage by wagmi's default storage, so a reload reconnects.
 */
export function createWagmiConfig(discovery: Discovery): Config {
  const chain = chainFor(discovery)
  const dev = isDevChain(chain.id)
  const connectors: CreateConnectorFn[] = [injected()]
  if (dev)
    connectors.push(
      ...devAccounts.map((account, index) => devAccountConnector(index, account.address)),
    )
  return createConfig({
    chains: [chain],
    connectors,
    transports: { [chain.id]: http(rpcUrl) },
    // One "Browser wallet" button instead of one per announced wallet: enough for a demo.
    multiInjectedProviderDiscovery: false,
    // anvil mines on every transaction: poll receipts quickly there.
    pollingInterval: dev ? 500 : 4_000,
  })
}
