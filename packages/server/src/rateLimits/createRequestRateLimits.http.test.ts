import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { expectError } from '../../test/expectError.js'
import { devAccount, signInAs } from '../../test/signInAs.js'
import { createTestRedisPrefix } from '../../test/testRedis.js'

// Buckets refill a token every hour / points: no test here runs long enough to see one back.
const perHour = (points: number) => ({ points, windowSeconds: 3_600 })

const get = (url: string, token?: string) =>
  fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })

function expectHeaders(response: Response, limit: number, remaining: number) {
  expect(response.headers.get('ratelimit-limit')).toBe(String(limit))
  expect(response.headers.get('ratelimit-remaining')).toBe(String(remaining))
  const reset = Number(response.headers.get('ratelimit-reset'))
  expect(reset).toBeGreaterThanOrEqual(1)
  expect(reset).toBeLessThanOrEqual(3_600)
}

async function expectLimited(response: Response, limit: number) {
  expect(response.status).toBe(429)
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  expectHeaders(response, limit, 0)
  expect(JSON.stringify(await response.json())).toContain('RATE_LIMITED')
}

describe('request rate limits over HTTP', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await createTestServer('embedded', {
      rateLimits: {
        perIp: perHour(1_000),
        perWallet: perHour(6),
        perApiKey: perHour(2),
        byRole: { admin: perHour(9) },
      },
    })
  })
  afterAll(() => server?.close())

  test('tRPC: headers on every success; the wallet’s 7th request is RATE_LIMITED', async () => {
    const { token } = await signInAs(server.client(), devAccount(1))
    const first = await get(`${server.url}/trpc/access.me`, token)
    expect(first.status).toBe(200)
    expectHeaders(first, 6, 5)
    for (let index = 0; index < 5; index++) await server.client(token).access.me.query()
    await expectLimited(await get(`${server.url}/trpc/access.me`, token), 6)
    await expectError(server.client(token).access.me.query(), 'RATE_LIMITED', 429)
  })

  test('/v1: an API key has its own bucket, inside its wallet’s; a stream counts once', async () => {
    const { token } = await signInAs(server.client(), devAccount(2))
    const one = await server.client(token).keys.create.mutate({ name: 'one' }) // wallet 1
    const models = await get(`${server.url}/v1/models`, one.secret) // key 1, wallet 2
    expect(models.status).toBe(200)
    // The tightest: the key's 2 (1 left), not the wallet's 6 (4 left).
    expectHeaders(models, 2, 1)
    const stream = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${one.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'dev-mini',
        messages: [{ role: 'user', content: 'Hi' }],
        max_tokens: 5,
        stream: true,
      }),
    }) // key 2, wallet 3
    expect(stream.status).toBe(200)
    expectHeaders(stream, 2, 0)
    expect(await stream.text()).toContain('data: [DONE]')
    const refused = await get(`${server.url}/v1/models`, one.secret)
    await expectLimited(refused, 2)
    expect(refused.headers.get('content-type')).toContain('application/json')
    // Another key of the same wallet still has its own bucket ...
    const two = await server.client(token).keys.create.mutate({ name: 'two' }) // wallet 4
    expect((await get(`${server.url}/v1/models`, two.secret)).status).toBe(200) // wallet 5
    // ... until the wallet's budget, which its keys and sessions share, is spent.
    expect((await get(`${server.url}/v1/models`, token)).status).toBe(200) // wallet 6
    const overWallet = await get(`${server.url}/v1/models`, two.secret)
    // Refused by the wallet; a refused request takes nothing, so the key keeps its last token.
    await expectLimited(overWallet, 6)
    expect((await get(`${server.url}/v1/models`, token)).status).toBe(429)
  })

  test('tRPC SSE: a stream carries the headers; over the limit it is refused before it opens', async () => {
    const { token } = await signInAs(server.client(), devAccount(3))
    const stream = () =>
      fetch(
        `${server.url}/trpc/ai.stream?input=${encodeURIComponent(
          JSON.stringify({
            json: { model: 'dev-mini', messages: [{ role: 'user', content: 'Hi' }], maxTokens: 5 },
          }),
        )}`,
        { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
      )
    for (let remaining = 5; remaining >= 0; remaining--) {
      const response = await stream()
      expect(response.headers.get('content-type')).toContain('text/event-stream')
      expectHeaders(response, 6, remaining)
      await response.body?.cancel()
    }
    // tRPC has sent 200 and the event-stream headers before its procedure runs: the refusal is
    // the stream's error event, which carries the wait itself.
    const refused = await stream()
    expectHeaders(refused, 6, 0)
    const event = (await refused.text()).split('event: serialized-error\ndata: ')[1] ?? ''
    const { data } = JSON.parse(event.split('\n')[0] ?? '').json
    expect(data).toMatchObject({ accessPointCode: 'RATE_LIMITED', httpStatus: 429 })
    expect(data.retryAfterSeconds).toBeGreaterThanOrEqual(1)
    // One token (an hour / 6), not the whole hour.
    expect(data.retryAfterSeconds).toBeLessThanOrEqual(600)
  })

  test('a role with a higher limit gets it (admin: 9 instead of 6)', async () => {
    const { token } = await signInAs(server.client(), devAccount(0))
    for (let index = 0; index < 9; index++) await server.client(token).access.me.query()
    await expectLimited(await get(`${server.url}/trpc/access.me`, token), 9)
  })

  test('unauthenticated requests count for their IP and carry its headers', async () => {
    const response = await get(`${server.url}/v1/models`)
    expect(response.status).toBe(401)
    expect(response.headers.get('ratelimit-limit')).toBe('1000')
    const trpc = await get(`${server.url}/trpc/access.me`)
    expect(trpc.status).toBe(401)
    expect(Number(trpc.headers.get('ratelimit-remaining'))).toBeLessThan(
      Number(response.headers.get('ratelimit-remaining')),
    )
  })
})

describe('request rate limits across two instances on one Redis', () => {
  let redis: Awaited<ReturnType<typeof createTestRedisPrefix>>
  let a: TestServer
  let b: Awaited<ReturnType<TestServer['secondInstance']>>
  beforeAll(async () => {
    redis = await createTestRedisPrefix()
    a = await createTestServer('postgres', {
      redis: { url: redis.url, keyPrefix: redis.keyPrefix },
      rateLimits: { perIp: perHour(1_000), perWallet: perHour(5) },
    })
    b = await a.secondInstance()
  })
  afterAll(async () => {
    await a?.close()
    await redis?.cleanup()
  })

  test('a wallet’s bucket is shared exactly: 3 on A and 2 on B pass, the 6th fails on either', async () => {
    const { token } = await signInAs(a.client(), devAccount(3))
    for (let index = 0; index < 3; index++) await a.client(token).access.me.query()
    const fifth = await (async () => {
      await b.client(token).access.me.query()
      return get(`${b.url}/trpc/access.me`, token)
    })()
    expectHeaders(fifth, 5, 0)
    await expectLimited(await get(`${a.url}/trpc/access.me`, token), 5)
    await expectLimited(await get(`${b.url}/v1/models`, token), 5)
  })
})
