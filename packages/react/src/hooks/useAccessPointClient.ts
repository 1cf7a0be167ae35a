import type { AccessPointClient } from '@accesspoint/client'
import { useContext } from 'react'
import { AccessPointContext } from '../AccessPointProvider.js'

/** The AccessPoint client of the nearest `<AccessPointProvider>`. */
export function useAccessPointClient(): AccessPointClient {
  const client = useContext(AccessPointContext)
  if (!client)
    throw new Error(
      'useAccessPointClient must be used inside <AccessPointProvider> (itself inside WagmiProvider and QueryClientProvider).',
    )
  return client
}
