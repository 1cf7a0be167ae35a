import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import { expect, inject, test } from 'vitest'
import { disconnect } from 'wagmi/actions'
import { connectHolder, createWrapper, holder } from '../test/wrapper.js'
import { useAccess } from './hooks/useAccess.js'
import { useAccessPointClient } from './hooks/useAccessPointClient.js'
import { useApiKeys } from './hooks/useApiKeys.js'
import { useBalance } from './hooks/useBalance.js'
import { useChatStream } from './hooks/useChatStream.js'
import { useCompletion } from './hooks/useCompletion.js'
import { useModels } from './hooks/useModels.js'
import { useSession } from './hooks/useSession.js'
import { useSignIn } from './hooks/useSignIn.js'
import { useSignOut } from './hooks/useSignOut.js'
import { useUsage } from './hooks/useUsage.js'

test('useAccessPointClient outside the provider says where it belongs', () => {
  const queryClient = new QueryClient()
  expect(() =>
    renderHook(() => useAccessPointClient(), {
      wrapper: ({ children }) => (
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      ),
    }),
  ).toThrow(/inside <AccessPointProvider>/)
})

test('the client follows the connected account', async () => {
  const { config, wrapper } = createWrapper()
  const { result } = renderHook(() => useAccessPointClient(), { wrapper })
  expect(result.current.address).toBeUndefined()

  await act(() => connectHolder(config))
  await waitFor(() => expect(result.current.address).toBe(holder))

  await act(() => disconnect(config))
  await waitFor(() => expect(result.current.address).toBeUndefined())
})

test('sign in once, see access and balance, stream an answer that lowers the balance', async () => {
  const { config, wrapper } = createWrapper()
  const { result } = renderHook(
    () => ({
      client: useAccessPointClient(),
      signIn: useSignIn(),
      access: useAccess(),
      balance: useBalance(),
      chat: useChatStream(),
    }),
    { wrapper },
  )
  await act(() => connectHolder(config))
  await waitFor(() => expect(result.current.client.address).toBe(holder))

  // The wallet signs once; a second sign-in reuses the kept session.
  const first = await act(() => result.current.signIn.mutateAsync({}))
  const second = await act(() => result.current.signIn.mutateAsync({}))
  expect(second.id).toBe(first.id)

  await waitFor(() => expect(result.current.access.data?.roles).toContain('holder'))
  await waitFor(() => expect(result.current.balance.data).toBeDefined())
  const pass = result.current.balance.data?.[0]
  expect(pass?.creditMicroUsd).toBe(50_000_000n)
  const before = pass?.availableMicroUsd ?? 0n

  await act(() =>
    result.current.chat.start({
      model: 'dev-mini',
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      maxTokens: 40,
    }),
  )
  expect(result.current.chat).toMatchObject({ status: 'done', error: undefined })
  expect(result.current.chat.text.length).toBeGreaterThan(0)
  expect(result.current.chat.usage?.outputTokens).toBeGreaterThan(0)
  expect(result.current.chat.costMicroUsd).toBeGreaterThan(0n)

  // The finished stream invalidated the balance: it is refetched, lower.
  await waitFor(() =>
    expect(result.current.balance.data?.[0]?.availableMicroUsd).toBeLessThan(before),
  )
})

test('a completion lands in the usage ledger; API keys are created, listed and revoked', async () => {
  const { config, wrapper } = createWrapper()
  const { result } = renderHook(
    () => ({
      client: useAccessPointClient(),
      signIn: useSignIn(),
      completion: useCompletion(),
      usage: useUsage({ limit: 5 }),
      keys: useApiKeys(),
    }),
    { wrapper },
  )
  await act(() => connectHolder(config))
  await waitFor(() => expect(result.current.client.address).toBe(holder))
  await act(() => result.current.signIn.mutateAsync({}))
  await waitFor(() => expect(result.current.usage.isSuccess).toBe(true))

  const answer = await act(() =>
    result.current.completion.mutateAsync({
      model: 'dev-mini',
      messages: [{ role: 'user', content: 'hello' }],
      maxTokens: 4,
    }),
  )
  // The completion invalidated the ledger: its newest row is this request.
  await waitFor(() =>
    expect(result.current.usage.data?.pages[0]?.items[0]?.requestId).toBe(answer.requestId),
  )

  const created = await act(() => result.current.keys.create.mutateAsync({ name: 'react test' }))
  await waitFor(() =>
    expect(result.current.keys.list.data?.map((key) => key.id)).toContain(created.key.id),
  )
  await act(() => result.current.keys.revoke.mutateAsync({ id: created.key.id }))
  await waitFor(() => {
    // Revoked keys are either listed as revoked or no longer listed.
    const key = result.current.keys.list.data?.find(({ id }) => id === created.key.id)
    expect(key === undefined || key.revokedAt !== null).toBe(true)
  })
})

test('nothing is signed or fetched until sign-in; the session state follows sign-in and sign-out', async () => {
  const { config, wrapper } = createWrapper()
  const { result } = renderHook(
    () => ({
      client: useAccessPointClient(),
      models: useModels(),
      signIn: useSignIn(),
      session: useSession(),
      signOut: useSignOut(),
    }),
    { wrapper },
  )
  await act(() => connectHolder(config))
  await waitFor(() => expect(result.current.session.data).toEqual({ status: 'none' }))
  // Connected but not signed in: queries wait instead of asking the wallet.
  expect(result.current.models.fetchStatus).toBe('idle')
  await expect(result.current.client.me()).rejects.toMatchObject({ code: 'SIGN_IN_REQUIRED' })

  const signedIn = await act(() => result.current.signIn.mutateAsync({}))
  await waitFor(() =>
    expect(result.current.session.data).toMatchObject({ status: 'active', id: signedIn.id }),
  )
  await waitFor(() => expect(result.current.models.isSuccess).toBe(true))
  expect(result.current.models.data?.find((model) => model.id === 'dev-mini')).toMatchObject({
    dev: true,
    price: { outputMicroUsdPerMillionTokens: 400_000n },
  })

  await act(() => result.current.signOut.mutateAsync({}))
  await waitFor(() => expect(result.current.session.data).toEqual({ status: 'none' }))
  expect(result.current.models.data).toBeUndefined()
  // Ended on the server too: its token no longer works.
  await expect(
    fetch(`${result.current.client.url}/trpc/auth.session`, {
      headers: { authorization: `Bearer ${signedIn.token}` },
    }).then((response) => response.status),
  ).resolves.toBe(401)
})

test('a session the server ended shows as expired, without a new signature', async () => {
  const { config, wrapper } = createWrapper()
  const { result } = renderHook(
    () => ({
      client: useAccessPointClient(),
      signIn: useSignIn(),
      session: useSession(),
      access: useAccess(),
    }),
    { wrapper },
  )
  await act(() => connectHolder(config))
  await waitFor(() => expect(result.current.client.address).toBe(holder))
  const signedIn = await act(() => result.current.signIn.mutateAsync({}))
  await waitFor(() => expect(result.current.access.isSuccess).toBe(true))

  // Revoked behind the page's back (an admin, another device signing out with the token).
  await fetch(`${inject('serverUrl')}/trpc/auth.signOut`, {
    method: 'POST',
    headers: { authorization: `Bearer ${signedIn.token}`, 'content-type': 'application/json' },
    body: '{}',
  })
  await act(() => result.current.access.refetch())
  await waitFor(() =>
    expect(result.current.session.data).toMatchObject({ status: 'expired', id: signedIn.id }),
  )
})
