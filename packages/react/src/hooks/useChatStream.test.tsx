import type { AccessPointClient, StreamEvent, StreamReturnType } from '@accesspoint/client'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { expect, test } from 'vitest'
import { AccessPointContext } from '../AccessPointProvider.js'
import { useChatStream } from './useChatStream.js'

/** A client whose streams emit `count` one-character deltas as fast as they are read. */
function fakeClient(count: number, wait?: Promise<void>): AccessPointClient {
  async function* events(signal: AbortSignal | undefined): AsyncGenerator<StreamEvent> {
    for (let i = 0; i < count; i++) yield { type: 'delta', text: 'x' }
    await wait
    signal?.throwIfAborted()
    yield {
      type: 'done',
      requestId: 'r1',
      model: 'dev-mini',
      finishReason: 'stop',
      usage: { inputTokens: 3, cachedInputTokens: 0, outputTokens: count },
      costMicroUsd: 42n,
    }
  }
  const stream = ({ signal }: { signal?: AbortSignal | undefined }): StreamReturnType =>
    Object.assign(events(signal), { result: new Promise<never>(() => {}) })
  // Only `stream` is used by the hook.
  return { url: 'https://ai.example.com', stream } as unknown as AccessPointClient
}

function wrapperFor(client: AccessPointClient) {
  const queryClient = new QueryClient()
  return ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <AccessPointContext.Provider value={client}>{children}</AccessPointContext.Provider>
    </QueryClientProvider>
  )
}

const prompt = { model: 'dev-mini', messages: [{ role: 'user' as const, content: 'hi' }] }

test('a thousand deltas cost a handful of renders, not a thousand', async () => {
  let renders = 0
  const { result } = renderHook(
    () => {
      renders++
      return useChatStream()
    },
    { wrapper: wrapperFor(fakeClient(1000)) },
  )
  await act(() => result.current.start(prompt))
  expect(result.current).toMatchObject({
    text: 'x'.repeat(1000),
    status: 'done',
    costMicroUsd: 42n,
    usage: { outputTokens: 1000 },
  })
  expect(renders).toBeLessThan(10)
})

test('abort() keeps the text so far and ends in error with the reason', async () => {
  let release = () => {}
  const wait = new Promise<void>((resolve) => {
    release = resolve
  })
  const { result } = renderHook(() => useChatStream(), { wrapper: wrapperFor(fakeClient(3, wait)) })
  let done: Promise<void> = Promise.resolve()
  act(() => {
    done = result.current.start(prompt)
  })
  expect(result.current.status).toBe('streaming')
  await act(async () => {
    result.current.abort()
    release()
    await done
  })
  expect(result.current.status).toBe('error')
  expect(result.current.error?.name).toBe('AbortError')
  expect(result.current.text).toBe('xxx')
})
