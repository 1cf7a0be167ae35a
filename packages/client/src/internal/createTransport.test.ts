import { afterEach, expect, test } from 'vitest'
import { createFakeServer } from '../../test/createFakeServer.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { NetworkError } from '../errors/client.js'
import { AccessPointError, InsufficientBalanceError, RateLimitedError } from '../errors/server.js'

// Retries against a scripted server; the real one is in the client and action tests.
const apiKey = 'ap_live_0123456789abcdef'
const models = [{ id: 'dev-mini' }]
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function fake(...parameters: Parameters<typeof createFakeServer>) {
  const server = await createFakeServer(...parameters)
  closers.push(server.close)
  return server
}

test('429 with Retry-After: waits at least that long, then succeeds', async () => {
  const server = await fake((_, index) =>
    index === 0
      ? { kind: 'error', code: 'RATE_LIMITED', status: 429, headers: { 'retry-after': '1' } }
      : { kind: 'data', data: models },
  )
  const client = createAccessPointClient({ url: server.url, apiKey })
  await expect(client.models()).resolves.toEqual(models)
  expect(server.requests).toHaveLength(2)
  const [first, second] = server.requests
  expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000)
  expect(first?.authorization).toBe(`Bearer ${apiKey}`)
})

test('a Retry-After beyond maxDelayMs is not waited out: the typed error says how long', async () => {
  const server = await fake(() => ({
    kind: 'error',
    code: 'RATE_LIMITED',
    status: 429,
    headers: { 'retry-after': '120' },
  }))
  const client = createAccessPointClient({ url: server.url, apiKey })
  const error = await client.models().catch((error: unknown) => error)
  expect(error).toBeInstanceOf(RateLimitedError)
  expect((error as RateLimitedError).retryAfterMs).toBe(120_000)
  expect(server.requests).toHaveLength(1)
})

test('transient errors: `attempts` tries with backoff; `retry: false` tries once', async () => {
  const unavailable = () => ({ kind: 'error', code: 'SERVICE_UNAVAILABLE', status: 503 }) as const
  const server = await fake(unavailable)
  const client = createAccessPointClient({
    url: server.url,
    apiKey,
    retry: { attempts: 4, baseDelayMs: 10 },
  })
  await expect(client.balance()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' })
  expect(server.requests).toHaveLength(4)

  const once = await fake(unavailable)
  await expect(
    createAccessPointClient({ url: once.url, apiKey, retry: false }).balance(),
  ).rejects.toBeInstanceOf(AccessPointError)
  expect(once.requests).toHaveLength(1)
})

test('errors that would fail again are not retried', async () => {
  const server = await fake(() => ({ kind: 'error', code: 'INSUFFICIENT_BALANCE', status: 402 }))
  const client = createAccessPointClient({ url: server.url, apiKey })
  await expect(
    client.complete({ model: 'dev-mini', messages: [{ role: 'user', content: 'hi' }] }),
  ).rejects.toBeInstanceOf(InsufficientBalanceError)
  expect(server.requests).toHaveLength(1)
})

test('complete is retried under one idempotency key, so the server runs and bills it once', async () => {
  const server = await fake((_, index) =>
    index < 2
      ? { kind: 'destroy' }
      : {
          kind: 'data',
          data: {
            requestId: 'r1',
            model: 'dev-mini',
            text: 'Hi.',
            finishReason: 'stop',
            usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 2 },
            costMicroUsd: 3n,
          },
        },
  )
  const client = createAccessPointClient({ url: server.url, apiKey, retry: { baseDelayMs: 10 } })
  const result = await client.complete({
    model: 'dev-mini',
    messages: [{ role: 'user', content: 'hi' }],
  })
  expect(result.costMicroUsd).toBe(3n)
  const keys = server.requests.map(
    (request) => (request.body as { idempotencyKey?: string }).idempotencyKey,
  )
  expect(keys).toHaveLength(3)
  expect(new Set(keys).size).toBe(1)
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)

  // A key of the caller's own is sent as given; each call gets a new one otherwise.
  await client.complete({
    model: 'dev-mini',
    messages: [{ role: 'user', content: 'hi' }],
    idempotencyKey: 'order-42',
  })
  expect(
    (server.requests.at(-1)?.body as { idempotencyKey?: string } | undefined)?.idempotencyKey,
  ).toBe('order-42')
})

test('an unreachable server is a NetworkError after the retries', async () => {
  const server = await fake(() => ({ kind: 'data', data: models }))
  await server.close()
  const client = createAccessPointClient({ url: server.url, apiKey, retry: { baseDelayMs: 10 } })
  const error = await client.models().catch((error: unknown) => error)
  expect(error).toBeInstanceOf(NetworkError)
  expect(error).toMatchObject({ code: 'NETWORK_ERROR' })
})

test('an aborted call rejects with the signal reason, also while waiting to retry', async () => {
  const server = await fake(() => ({
    kind: 'error',
    code: 'RATE_LIMITED',
    status: 429,
    headers: { 'retry-after': '5' },
  }))
  const client = createAccessPointClient({ url: server.url, apiKey })
  const controller = new AbortController()
  const call = client.models({ signal: controller.signal })
  setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 100)
  const started = Date.now()
  await expect(call).rejects.toMatchObject({ name: 'AbortError' })
  expect(Date.now() - started).toBeLessThan(2000)
})
