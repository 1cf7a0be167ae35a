import type { QueryClient } from '@tanstack/react-query'

// The server or the client saying there is no usable session.
const sessionErrorCodes = new Set(['SESSION_EXPIRED', 'UNAUTHENTICATED', 'SIGN_IN_REQUIRED'])

/**
 * After a failed call: when it failed for want of a session, re-read the session state, so
 * `useSession` says "expired" and queries that need a session stop until the user signs in.
 */
export function refreshSessionStateAfter(queryClient: QueryClient, error: unknown): void {
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    sessionErrorCodes.has(String(error.code))
  )
    void queryClient.invalidateQueries({ queryKey: ['accesspoint', 'sessionState'] })
}
