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

/** Ends and forgets the kept session: `mutate({})`. Every cached AccessPoint query is dropped after. */
export function useSignOut(parameters: UseSignOutParameters = {}): UseSignOutReturnType {
  const { scopeKey, mutation = {} } = parameters
  const client = useAccessPointClient()
  const queryClient = useQueryClient()
  return useMutation({
    ...mutation,
    ...signOutMutationOptions(client, { scopeKey }),
    onSuccess: (...args) => {
      // Removed, not refetched: any fetch needing a session would sign in again right away
      // (the client signs in on demand). Mounted query hooks refetch on their next trigger, so
      // a dapp that signs out should also disable or unmount them.
      queryClient.removeQueries({ queryKey: ['accesspoint'] })
      return mutation.onSuccess?.(...args)
    },
  })
}
