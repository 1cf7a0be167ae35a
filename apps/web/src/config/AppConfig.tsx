import { createContext, useContext } from 'react'
import type { Chain } from 'viem'
import type { Discovery } from './discovery'

export type AppConfig = {
  discovery: Discovery
  /** The chain wallets must be on. */
  chain: Chain
  /** The local anvil chain: dev accounts and the dev top-up are offered. */
  isDev: boolean
}

export const AppConfigContext = createContext<AppConfig | null>(null)

/** The server's discovery document and what the app derived from it. */
export function useAppConfig(): AppConfig {
  const config = useContext(AppConfigContext)
  if (!config) throw new Error('useAppConfig must be used inside <Providers>.')
  return config
}
