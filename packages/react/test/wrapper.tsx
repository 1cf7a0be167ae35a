import { memoryStorage } from '@accesspoint/client'
import { devAccounts } from '@accesspoint/contracts'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { ReactElement, ReactNode } from 'react'
import { defineChain } from 'viem'
import { anvil } from 'viem/chains'
import { inject } from 'vitest'
import { type Config, createConfig, http, mock, WagmiProvider } from 'wagmi'
import { connect } from 'wagmi/actions'
import { AccessPointProvider } from '../src/AccessPointProvider.js'

/** Dev account 1: pass #1 ($50) and the `holder` role. */
export const holder = devAccounts[1]?.address ?? ''

/**
 * wagmi (the `mock` connector for dev account 1), TanStack Query and AccessPoint around the real
 * test server. The mock connector sends `personal_sign` to its chain's RPC URL, where anvil signs
 * with the unlocked account, as a browser wallet would.
 */
export function createWrapper(): {
  config: Config
  queryClient: QueryClient
  wrapper: (props: { children: ReactNode }) => ReactElement
} {
  const rpcUrl = inject('rpcUrl')
  const chain = defineChain({ ...anvil, rpcUrls: { default: { http: [rpcUrl] } } })
  const config = createConfig({
    chains: [chain],
    connectors: [mock({ accounts: [holder as `0x${string}`] })],
    transports: { [chain.id]: http(rpcUrl) },
    // Nothing persisted: tests share happy-dom's localStorage, and must not reconnect each other.
    storage: null,
  })
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  // A fresh store per test: every test signs in on its own.
  const storage = memoryStorage()
  function wrapper({ children }: { children: ReactNode }) {
    return (
      <WagmiProvider config={config}>
        <QueryClientProvider client={queryClient}>
          <AccessPointProvider url={inject('serverUrl')} storage={storage}>
            {children}
          </AccessPointProvider>
        </QueryClientProvider>
      </WagmiProvider>
    )
  }
  return { config, queryClient, wrapper }
}

/** Connects the mock wallet, as a user clicking "Connect" would. */
export async function connectHolder(config: Config) {
  const connector = config.connectors[0]
  if (!connector) throw new Error('no connector')
  await connect(config, { connector })
}
