import type { SignInErrorType } from '@accesspoint/client'
import {
  type SignInData,
  type SignInVariables,
  signInMutationOptions,
} from '@accesspoint/client/query'
import { type UseMutationResult, useMutation, useQueryClient } from '@tanstack/react-query'
import { invalidate } from '../internal/invalidate.js'
import type { MutationParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseSignInParameters = MutationParameter<SignInData, SignInErrorType, SignInVariables>
export type UseSignInReturnType = UseMutationResult<SignInData, SignInErrorType, SignInVariables>

/** Signs in with the connected wallet (one signature; none while a kept session lasts): `mutate({})`, or `mutate({ force: true })` for a new session. Every AccessPoint query is refetched after, as the server now answers them for this wallet. */
export function useSignIn(parameters: UseSignInParameters = {}): UseSignInReturnType {
  const { scopeKey, mutation = {} } = parameters
  const client = useAccessPointClient()
  const queryClient = useQueryClient()
  return useMutation({
    ...mutation,
    ...signInMutationOptions(client, { scopeKey }),
    onSuccess: async (...args) => {
      await invalidate(queryClient)
      return mutation.onSuccess?.(...args)
    },
  })
}
