import { act, renderHook, waitFor } from '@testing-library/react'
import { expect, test } from 'vitest'
import { connectHolder, createWrapper, holder } from '../../test/wrapper.js'
import { useAccessPointClient } from './useAccessPointClient.js'
import { useCompletion } from './useCompletion.js'
import { useSignIn } from './useSignIn.js'
import { useSpendHistory } from './useSpendHistory.js'

test('waits for a wallet and a sign-in, then charts its spend; a completion refreshes it', async () => {
  const { config, wrapper } = createWrapper()
  const { result } = renderHook(
    () => ({
      client: useAccessPointClient(),
      signIn: useSignIn(),
      completion: useCompletion(),
      // Never stale by age: only the completion's invalidation can make it fetch again.
      history: useSpendHistory({
        bucket: 'hour',
        count: 24,
        query: { staleTime: Number.POSITIVE_INFINITY },
      }),
    }),
    { wrapper },
  )
  expect(result.current.history).toMatchObject({ status: 'pending', fetchStatus: 'idle' })

  await act(() => connectHolder(config))
  await waitFor(() => expect(result.current.client.address).toBe(holder))
  // Connected, not signed in: it still waits rather than asking the wallet.
  expect(result.current.history.fetchStatus).toBe('idle')
  await act(() => result.current.signIn.mutateAsync({}))
  await waitFor(() => expect(result.current.history.isSuccess).toBe(true))
  const before = result.current.history.data
  expect(before?.bucket).toBe('hour')
  expect(before?.buckets).toHaveLength(24)
  const current = Math.floor(Date.now() / 3_600_000) * 3_600_000
  expect(before?.buckets.at(-1)?.start.getTime()).toBeLessThanOrEqual(current)

  const answer = await act(() =>
    result.current.completion.mutateAsync({
      model: 'dev-mini',
      messages: [{ role: 'user', content: 'How much have I spent?' }],
      maxTokens: 4,
    }),
  )
  // Other test files spend from this wallet too: ours is at least in the difference.
  await waitFor(() =>
    expect(result.current.history.data?.totalMicroUsd).toBeGreaterThanOrEqual(
      (before?.totalMicroUsd ?? 0n) + answer.costMicroUsd,
    ),
  )
})
