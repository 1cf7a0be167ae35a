import { localStorageStorage } from '@accesspoint/client'
import { AccessPointProvider } from '@accesspoint/react'
import { QueryClientProvider } from '@tanstack/react-query'
import { type ReactNode, useMemo, useState } from 'react'
import { WagmiProvider } from 'wagmi'
import { type AppConfig, AppConfigContext } from './AppConfig'
import { chainFor, createWagmiConfig, isDevChain } from './createWagmiConfig'
import type { Discovery } from './discovery'
import { apiUrl } from './env'
import { queryClient } from './queryClient'

/** Sessions live in localStorage: a reload comes back signed in, without a new signature. */
const sessionStorage = localStorageStorage()

/**
 * wagmi, TanStack Query and AccessPoint, in the order `@accesspoint/react` needs. Its provider
 * makes a client for the connected wallet that never signs by itself: the wallet asks only when
 * the user presses "Sign in" (`useSignIn`), and queries wait until then.
 */
export function Providers({ discovery, children }: { discovery: Discovery; children: ReactNode }) {
  // Made once: the discovery document does not change while the page is open.
  const [wagmiConfig] = useState(() => createWagmiConfig(discovery))
  const app = useMemo<AppConfig>(
    () => ({ discovery, chain: chainFor(discovery), isDev: isDevChain(discovery.chainId) }),
    [discovery],
  )
  return (
    <AppConfigContext.Provider value={app}>
      <WagmiProvider config={wagmiConfig}>
        <QueryClientProvider client={queryClient}>
          <AccessPointProvider url={apiUrl} storage={sessionStorage}>
            {children}
          </AccessPointProvider>
        </QueryClientProvider>
      </WagmiProvider>
    </AppConfigContext.Provider>
  )
}
