import type { SignOutErrorType } from '@accesspoint/client'
import {
  type SignOutData,
  type SignOutVariables,
  signOutMutationOptions,
} from '@accesspoint/client/query'
import { type UseMutationResult, useMutation, useQueryClient } from '@tanstack/react-query'
import type { MutationParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseSignOutParameters = MutationParameter<
  SignOutData,
  SignOutErrorType,
  SignOutVariables
>
export type UseSignOutReturnType = UseMutationResult<
  SignOutData,
  SignOutErrorType,
  SignOutVariables
>

/** Ends and forgets the kept session: `mutate({})`. The wallet's cached AccessPoint data is dropped after. */
export function useSignOut(parameters: UseSignOutParameters = {}): UseSignOutReturnType {
  const { scopeKey, mutation = {} } = parameters
  const client = useAccessPointClient()
  const queryClient = useQueryClient()
  return useMutation({
    ...mutation,
    ...signOutMutationOptions(client, { scopeKey }),
    onSuccess: async (...args) => {
      // The wallet's data is dropped, not refetched (that would need a session); the session
      // state is re-read, which turns `useSession` to `none` and stops the other queries.
      queryClient.removeQueries({
        queryKey: ['accesspoint'],
        predicate: (query) => query.queryKey[1] !== 'sessionState',
      })
      await queryClient.invalidateQueries({ queryKey: ['accesspoint', 'sessionState'] })
      return mutation.onSuccess?.(...args)
    },
  })
}
