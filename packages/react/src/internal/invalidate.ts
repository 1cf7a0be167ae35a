import type { QueryClient } from '@tanstack/react-query'

/**
 * What a charged request changes: the pass's balance, the ledger, its spend history, and `me`
 * (it shows passes).
 */
export const spendingQueries = ['balance', 'usage', 'spendHistory', 'me'] as const

/**
 * Marks this package's cached queries stale by name (`['accesspoint', name]` prefixes every
 * scope), so mounted hooks refetch. Without names, every AccessPoint query: signing in or out
 * changes what the server answers to all of them.
 */
export function invalidate(
  queryClient: QueryClient,
  names?: readonly string[] | undefined,
): Promise<unknown> {
  if (!names) return queryClient.invalidateQueries({ queryKey: ['accesspoint'] })
  return Promise.all(
    names.map((name) => queryClient.invalidateQueries({ queryKey: ['accesspoint', name] })),
  )
}
