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

test('consume counts the IP, key and wallet together: all of them or none', async () => {
  const limits = createRequestRateLimits({
    perIp: rule(10),
    perWallet: rule(2),
    perApiKey: rule(5),
  })
  const into: RateLimitStatus[] = []
  const consume = () => limits.consume({ ip: '10.0.1.1', principal: key('k9'), roles: [] }, into)
  expect(await outcomes(3, consume)).toEqual(['ok', 'ok', 'RATE_LIMITED'])
  // Three statuses per request (IP, key, wallet), the refused one too.
  expect(into.map((status) => status.limit)).toEqual([10, 5, 2, 10, 5, 2, 10, 5, 2])
  // The wallet refused the third: the IP and the key spent nothing on it.
  expect(into.slice(6).map((status) => status.remaining)).toEqual([8, 3, 0])
})

test('an IP refused a moment ago is refused by checkIp, with no store call, until it refills', async () => {
  const limits = createRequestRateLimits({ perIp: { points: 1, windowSeconds: 1 } })
  limits.checkIp('10.0.2.1', [])
  await limits.consumeIp('10.0.2.1', [])
  await expect(limits.consumeIp('10.0.2.1', [])).rejects.toMatchObject({ code: 'RATE_LIMITED' })
  const into: RateLimitStatus[] = []
  expect(() => limits.checkIp('10.0.2.1', into)).toThrow(
    expect.objectContaining({ code: 'RATE_LIMITED', retryAfterSeconds: 1 }),
  )
  expect(into).toEqual([{ limit: 1, remaining: 0, resetSeconds: 1 }])
  // Another address is not affected; the refused one passes once its token is back.
  limits.checkIp('10.0.2.2', [])
  await new Promise((resolve) => setTimeout(resolve, 1_050))
  limits.checkIp('10.0.2.1', [])
  await limits.consumeIp('10.0.2.1', [])
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

  test('an authenticated request is one Redis call for its IP, key and wallet', async () => {
    const client = clients?.[0] as Redis
    let calls = 0
    const counted = new Proxy(client, {
      get(target, name) {
        const value: unknown = Reflect.get(target, name)
        if (name === 'accessPointTakeTokens')
          return (...args: unknown[]) => {
            calls++
            return Reflect.apply(value as (...a: unknown[]) => unknown, target, args)
          }
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const limits = createRequestRateLimits(
      {},
      { redis: { client: counted, keyPrefix: `${redis.keyPrefix}one-call:` } },
    )
    const into: RateLimitStatus[] = []
    await limits.consume({ ip: '10.0.3.1', principal: key('k-one'), roles: [] }, into)
    expect(calls).toBe(1)
    expect(into).toHaveLength(3)
  })
})
