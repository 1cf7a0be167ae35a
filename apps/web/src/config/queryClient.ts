import { QueryClient } from '@tanstack/react-query'

/**
 * One QueryClient for wagmi and AccessPoint. `<AccessPointProvider>` watches its caches: a call
 * that finds the session gone re-reads the session state, so the app shows "sign in again".
 */
export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 10_000 } },
})

// The AccessPoint client already retries what is worth retrying (honouring Retry-After): a second
// layer would only delay errors. wagmi's queries keep TanStack's retries (its wallet client query
// can lose a race with a chain switch and must try again).
queryClient.setQueryDefaults(['accesspoint'], { retry: false })
