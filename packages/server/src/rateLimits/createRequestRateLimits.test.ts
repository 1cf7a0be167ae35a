import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestRedisPrefix } from '../../test/testRedis.js'
import type { Principal } from '../auth/types.js'
import { createRequestRateLimits } from './createRequestRateLimits.js'
import type { RateLimitStatus } from './types.js'

const wallet = '0x00000000000000000000000000000000000000aa'
const session: Principal = {
  kind: 'session',
  sessionId: 's1',
  walletAddress: wallet,
  chainId: 1,
  expiresAt: new Date(Date.now() + 60_000),
}
const key = (apiKeyId: string): Principal => ({
  kind: 'apiKey',
  apiKeyId,
  walletAddress: wallet,
  scopes: ['ai', 'read'],
  pass: null,
  expiresAt: null,
})
const rule = (points: number) => ({ points, windowSeconds: 60 })

async function outcomes(times: number, call: () => Promise<void>) {
  const results: string[] = []
  for (let index = 0; index < times; index++)
    results.push(
      await call().then(
        () => 'ok',
        (error: { code?: string }) => String(error.code),
      ),
    )
  return results
}

test('each IP has its own bucket; a refusal is RATE_LIMITED with its status', async () => {
  const limits = createRequestRateLimits({ perIp: rule(2) })
  const into: RateLimitStatus[] = []
  expect(await outcomes(3, () => limits.consumeIp('10.0.0.1', into))).toEqual([
    'ok',
    'ok',
    'RATE_LIMITED',
  ])
  expect(into.map((status) => status.remaining)).toEqual([1, 0, 0])
  expect(into[2]).toMatchObject({ limit: 2 })
  expect(into[2]?.resetSeconds).toBeGreaterThanOrEqual(1)
  await limits.consumeIp('10.0.0.2', [])
  const error = await limits.consumeIp('10.0.0.1', []).catch((error: unknown) => error)
  expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 })
  expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1)
})

test('a key has its own bucket inside its wallet’s; a key over its limit spends no wallet point', async () => {
  const limits = createRequestRateLimits({ perWallet: rule(4), perApiKey: rule(2) })
  const caller = (principal: Principal) => () =>
    limits.consumeCaller({ principal, roles: ['holder'] }, [])
  expect(await outcomes(3, caller(key('k1')))).toEqual(['ok', 'ok', 'RATE_LIMITED'])
  // k2 has a fresh bucket; the wallet has spent 2 of 4, so k2 gets 2 before the wallet is out.
  expect(await outcomes(1, caller(key('k2')))).toEqual(['ok'])
  expect(await outcomes(2, caller(session))).toEqual(['ok', 'RATE_LIMITED'])
  expect(await outcomes(1, caller(key('k2')))).toEqual(['RATE_LIMITED'])
})

test('a role’s rule replaces the defaults; the most generous of the wallet’s roles applies', async () => {
  const limits = createRequestRateLimits({
    perWallet: rule(2),
    byRole: { admin: rule(5), partner: { points: 3, windowSeconds: 1 } },
  })
  const holder = { ...session, walletAddress: '0x00000000000000000000000000000000000000bb' }
  expect(
    await outcomes(3, () =>
      limits.consumeCaller({ principal: holder as Principal, roles: ['holder'] }, []),
    ),
  ).toEqual(['ok', 'ok', 'RATE_LIMITED'])
  // partner: 3 per second (180/min) beats admin's 5/min.
  const into: RateLimitStatus[] = []
  await limits.consumeCaller({ principal: session, roles: ['admin', 'partner'] }, into)
  expect(into).toEqual([{ limit: 3, remaining: 2, resetSeconds: 1 }])
  // API keys of such a wallet get the role's rule too.
  const keyed: RateLimitStatus[] = []
  await limits.consumeCaller({ principal: key('k9'), roles: ['admin'] }, keyed)
  expect(keyed.map((status) => status.limit)).toEqual([5, 5])
})

test('a rule that is not a positive whole number is refused at start', () => {
  expect(() => createRequestRateLimits({ perIp: { points: 0, windowSeconds: 60 } })).toThrow(
    /rateLimits\.perIp/,
  )
  expect(() =>
    createRequestRateLimits({ byRole: { admin: { points: 5, windowSeconds: 0.5 } } }),
  ).toThrow(/rateLimits\.byRole\.admin/)
})

describe('with Redis', () => {
  let redis: Awaited<ReturnType<typeof createTestRedisPrefix>>
  let clients: Redis[]
  beforeAll(async () => {
    redis = await createTestRedisPrefix()
    clients = [new Redis(redis.url), new Redis(redis.url)]
    // Not ready yet, the limiters would count in memory (the insurance), each on its own.
    await Promise.all(clients.map((client) => client.ping()))
  })
  afterAll(async () => {
    for (const client of clients ?? []) await client.quit()
    await redis?.cleanup()
  })

  test('two instances share each bucket exactly, even under concurrent requests', async () => {
    const [a, b] = (clients as [Redis, Redis]).map((client) =>
      createRequestRateLimits(
        { perWallet: rule(5) },
        { redis: { client, keyPrefix: redis.keyPrefix } },
      ),
    ) as [ReturnType<typeof createRequestRateLimits>, ReturnType<typeof createRequestRateLimits>]
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        (index % 2 ? a : b).consumeCaller({ principal: session, roles: ['holder'] }, []).then(
          () => 'ok',
          (error: { code?: string }) => String(error.code),
        ),
      ),
    )
    expect(results.filter((result) => result === 'ok')).toHaveLength(5)
    expect(results.filter((result) => result === 'RATE_LIMITED')).toHaveLength(7)
  })
})
