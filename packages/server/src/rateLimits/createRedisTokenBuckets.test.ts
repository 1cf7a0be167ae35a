import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestRedisPrefix } from '../../test/testRedis.js'
import { createMemoryTokenBuckets } from './createMemoryTokenBuckets.js'
import { createRedisTokenBuckets } from './createRedisTokenBuckets.js'
import type { TokenBuckets } from './types.js'

let redis: Awaited<ReturnType<typeof createTestRedisPrefix>>
let clients: [Redis, Redis]
let a: TokenBuckets
let b: TokenBuckets
beforeAll(async () => {
  redis = await createTestRedisPrefix()
  clients = [new Redis(redis.url), new Redis(redis.url)]
  await Promise.all(clients.map((client) => client.ping()))
  ;[a, b] = clients.map((client) =>
    createRedisTokenBuckets({
      client,
      keyPrefix: redis.keyPrefix,
      fallback: createMemoryTokenBuckets(),
    }),
  ) as [TokenBuckets, TokenBuckets]
})
afterAll(async () => {
  for (const client of clients ?? []) await client.quit()
  await redis?.cleanup()
})

test('two instances share a bucket exactly under concurrent requests', async () => {
  const rule = { points: 50, windowSeconds: 3600 }
  const outcomes = await Promise.all(
    Array.from({ length: 200 }, (_, index) => (index % 2 ? a : b).take([{ key: 'shared', rule }])),
  )
  const allowed = outcomes.filter(([outcome]) => outcome?.allowed)
  expect(allowed).toHaveLength(50)
  // Each token was handed out once: the remaining counts are 49 … 0, each seen once.
  expect(
    allowed.map(([outcome]) => outcome?.remaining).sort((x, y) => (x ?? 0) - (y ?? 0)),
  ).toEqual(Array.from({ length: 50 }, (_, index) => index))
  const [refused] = await a.take([{ key: 'shared', rule }])
  expect(refused?.allowed).toBe(false)
  // One token (72 s at 50 per hour) away, not the rest of an hour.
  expect(refused?.retryAfterMs).toBeGreaterThan(0)
  expect(refused?.retryAfterMs).toBeLessThanOrEqual(72_000)
})

test('a token comes back after one interval, on the Redis clock', async () => {
  const rule = { points: 2, windowSeconds: 1 } // a token every 500 ms
  const take = async (buckets: TokenBuckets) => (await buckets.take([{ key: 'refill', rule }]))[0]
  expect((await take(a))?.allowed).toBe(true)
  expect((await take(b))?.allowed).toBe(true)
  const refused = await take(a)
  expect(refused?.allowed).toBe(false)
  await new Promise((resolve) => setTimeout(resolve, (refused?.retryAfterMs ?? 0) + 20))
  expect((await take(b))?.allowed).toBe(true)
  // The key expires once its bucket would be full again: nothing is left behind.
  const ttl = await (clients[0] as Redis).pttl(`${redis.keyPrefix}rl:refill`)
  expect(ttl).toBeGreaterThan(0)
  expect(ttl).toBeLessThanOrEqual(1_000)
})

test('all or none across keys: a refused request takes no token from the others', async () => {
  const one = { points: 1, windowSeconds: 3600 }
  const many = { points: 10, windowSeconds: 3600 }
  await a.take([{ key: 'all:empty', rule: one }])
  const outcomes = await b.take([
    { key: 'all:full', rule: many },
    { key: 'all:empty', rule: one },
  ])
  expect(outcomes.map((outcome) => [outcome.allowed, outcome.remaining])).toEqual([
    [true, 10],
    [false, 0],
  ])
  expect((await a.take([{ key: 'all:full', rule: many }]))[0]?.remaining).toBe(9)
})

test('while Redis is unreachable the fallback counts (degraded, never unlimited)', async () => {
  const offline = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  })
  offline.on('error', () => {})
  const buckets = createRedisTokenBuckets({
    client: offline,
    keyPrefix: redis.keyPrefix,
    fallback: createMemoryTokenBuckets(),
  })
  const rule = { points: 1, windowSeconds: 60 }
  const take = async () => (await buckets.take([{ key: 'offline', rule }]))[0]?.allowed
  expect([await take(), await take()]).toEqual([true, false])
  offline.disconnect()
})
