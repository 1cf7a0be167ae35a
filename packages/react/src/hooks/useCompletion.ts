import type { CompleteErrorType } from '@accesspoint/client'
import {
  type CompleteData,
  type CompleteVariables,
  completeMutationOptions,
} from '@accesspoint/client/query'
import { type UseMutationResult, useMutation, useQueryClient } from '@tanstack/react-query'
import { invalidate, spendingQueries } from '../internal/invalidate.js'
import type { MutationParameter } from '../types.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type UseCompletionParameters = MutationParameter<
  CompleteData,
  CompleteErrorType,
  CompleteVariables
>
export type UseCompletionReturnType = UseMutationResult<
  CompleteData,
  CompleteErrorType,
  CompleteVariables
>

/** One answer, when complete: `mutate({ model, messages })`. Balance, usage and access are refetched after, as the request was charged. */
export function useCompletion(parameters: UseCompletionParameters = {}): UseCompletionReturnType {
  const { scopeKey, mutation = {} } = parameters
  const client = useAccessPointClient()
  const queryClient = useQueryClient()
  return useMutation({
    ...mutation,
    ...completeMutationOptions(client, { scopeKey }),
    onSuccess: async (...args) => {
      await invalidate(queryClient, spendingQueries)
      return mutation.onSuccess?.(...args)
    },
  })
}
