import type { AccessPointClient } from '@accesspoint/client'
import { sessionStateQueryOptions } from '@accesspoint/client/query'
import { useQuery } from '@tanstack/react-query'

/**
 * Whether calls can go out now without surprising anyone: with an API key, with a client that
 * signs in by itself, or with a usable kept session. Until then queries wait (rather than fail
 * with `SignInRequiredError` or pop up the wallet).
 */
export function useCanCall(client: AccessPointClient): boolean {
  const needsSession = client.apiKeyPrefix === undefined && !client.autoSignIn
  const state = useQuery({
    ...sessionStateQueryOptions(client),
    enabled: needsSession && client.address !== undefined,
  })
  if (client.apiKeyPrefix !== undefined) return true
  if (client.address === undefined) return false
  return !needsSession || state.data?.status === 'active'
}
