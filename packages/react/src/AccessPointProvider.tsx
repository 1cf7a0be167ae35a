import {
  type AccessPointClient,
  createAccessPointClient,
  localStorageStorage,
  type SessionStorage,
} from '@accesspoint/client'
import { useQueryClient } from '@tanstack/react-query'
import { createContext, type ReactNode, useEffect, useMemo, useState } from 'react'
import { useWalletClient } from 'wagmi'
import { refreshSessionStateAfter } from './internal/sessionErrors.js'

/** The client of the nearest {@link AccessPointProvider}; `null` marks "no provider". */
export const AccessPointContext = createContext<AccessPointClient | null>(null)

export type AccessPointProviderProps = {
  /** The server's base URL, e.g. `https://ai.example.com`. */
  url: string
  /**
   * Where sessions are kept. `localStorageStorage()` by default, so a reload does not ask the
   * wallet again. Pass a stable object (module scope or memoized): a new one makes a new client.
   */
  storage?: SessionStorage | undefined
  /**
   * Whether a call that needs a session may ask the wallet by itself. Off in dapps: the wallet
   * asks only when the user presses your sign-in button (`useSignIn`), queries wait until then,
   * and an ended session shows in `useSession` instead of a surprise prompt. @default false
   */
  autoSignIn?: boolean | undefined
  children?: ReactNode
}

/**
 * Makes an AccessPoint client for the connected wagmi account available to the hooks below it.
 * Must sit inside wagmi's `WagmiProvider` and TanStack's `QueryClientProvider`.
 *
 * The client is recreated when the account or chain changes (wagmi then hands out a new wallet
 * client); its query keys name the address, so cached data of one wallet never shows for another.
 * Without a connected wallet the client has no signer: calls that need a session fail with
 * `SignerRequiredError`, and the hooks keep such queries disabled.
 */
export function AccessPointProvider({
  url,
  storage,
  autoSignIn = false,
  children,
}: AccessPointProviderProps) {
  const { data: walletClient } = useWalletClient()
  const queryClient = useQueryClient()
  // One default storage per provider, not per render, so the client is not recreated each time.
  const [defaultStorage] = useState(localStorageStorage)
  const resolvedStorage = storage ?? defaultStorage
  const client = useMemo(
    () => createAccessPointClient({ url, walletClient, storage: resolvedStorage, autoSignIn }),
    [url, walletClient, resolvedStorage, autoSignIn],
  )
  // Any AccessPoint query or mutation that finds the session gone updates `useSession`.
  useEffect(() => {
    const fromQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error')
        refreshSessionStateAfter(queryClient, event.action.error)
    })
    const fromMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error')
        refreshSessionStateAfter(queryClient, event.action.error)
    })
    return () => {
      fromQueries()
      fromMutations()
    }
  }, [queryClient])
  return <AccessPointContext.Provider value={client}>{children}</AccessPointContext.Provider>
}
