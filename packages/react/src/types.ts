import type { ScopeKeyParameter } from '@accesspoint/client/query'
import type {
  DefaultError,
  QueryKey,
  UseInfiniteQueryOptions,
  UseMutationOptions,
  UseQueryOptions,
} from '@tanstack/react-query'

/** Options of a query hook: the client's scope key, and TanStack options except key and fn. */
export type QueryParameter<
  TQueryFnData,
  TError = DefaultError,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
> = ScopeKeyParameter & {
  query?:
    | (Omit<
        UseQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
        'queryKey' | 'queryFn' | 'enabled'
      > & {
        /** Combined with the hook's own condition (a wallet or API key to ask with). */
        enabled?: boolean | undefined
      })
    | undefined
}

/** Options of an infinite query hook. */
export type InfiniteQueryParameter<
  TQueryFnData,
  TError,
  TData,
  TQueryKey extends QueryKey,
  TPageParam,
> = ScopeKeyParameter & {
  query?:
    | (Omit<
        UseInfiniteQueryOptions<TQueryFnData, TError, TData, TQueryKey, TPageParam>,
        'queryKey' | 'queryFn' | 'enabled' | 'initialPageParam' | 'getNextPageParam'
      > & { enabled?: boolean | undefined })
    | undefined
}

/** Options of a mutation hook: the client's scope key, and TanStack options except key and fn. */
export type MutationParameter<TData, TError, TVariables> = ScopeKeyParameter & {
  mutation?:
    | Omit<UseMutationOptions<TData, TError, TVariables>, 'mutationKey' | 'mutationFn'>
    | undefined
}
