import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { openEventStream } from './openEventStream.js'

const url = 'https://llm.example/v1/stream'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const open = (signal?: AbortSignal) =>
  openEventStream({
    provider: 'p',
    model: 'm',
    url,
    headers: { 'x-extra': '1' },
    body: { hello: 'world' },
    signal,
  })

test('POSTs JSON and yields the events', async () => {
  let seen: { body: unknown; headers: Headers } | undefined
  server.use(
    http.post(url, async ({ request }) => {
      seen = { body: await request.json(), headers: request.headers }
      return new HttpResponse('data: 1\n\ndata: 2\n\n', {
        headers: { 'content-type': 'text/event-stream' },
      })
    }),
  )
  const data: string[] = []
  for await (const event of await open()) data.push(event.data)
  expect(data).toStrictEqual(['1', '2'])
  expect(seen?.body).toStrictEqual({ hello: 'world' })
  expect(seen?.headers.get('content-type')).toBe('application/json')
  expect(seen?.headers.get('accept')).toBe('text/event-stream')
  expect(seen?.headers.get('x-extra')).toBe('1')
})

test('a JSON answer where a stream was asked for is a ProviderError', async () => {
  server.use(http.post(url, () => HttpResponse.json({ choices: [] })))
  await expect(open()).rejects.toMatchObject({ code: 'PROVIDER_ERROR' })
})

test('an abort before the answer throws the raw abort error for the caller to judge', async () => {
  server.use(http.post(url, () => new HttpResponse('data: 1\n\n')))
  await expect(open(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' })
})
