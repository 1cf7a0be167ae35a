import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { expectError } from '../../test/expectError.js'
import { devAccount, signInAs } from '../../test/signInAs.js'
import { createRedisProxy, createTestRedisPrefix } from '../../test/testRedis.js'

type Instance = Awaited<ReturnType<TestServer['secondInstance']>>

// Redis goes away under two instances (a proxy in front of it is cut), then comes back.
describe('two instances when Redis is down, and after it returns', () => {
  const ttlMs = 1_000
  let redis: Awaited<ReturnType<typeof createTestRedisPrefix>>
  let proxy: Awaited<ReturnType<typeof createRedisProxy>>
  let a: TestServer
  let b: Instance
  beforeAll(async () => {
    redis = await createTestRedisPrefix()
    proxy = await createRedisProxy()
    a = await createTestServer('postgres', {
      redis: { url: proxy.url, keyPrefix: redis.keyPrefix },
      authCacheTtlMs: ttlMs,
    })
    b = await a.secondInstance()
  })
  afterAll(async () => {
    await a?.close()
    await proxy?.stop()
    await redis?.cleanup()
  })

  test('Redis down: requests are served and a revocation applies within the cache TTL', async () => {
    expect(b.accessPoint.redis?.isSubscribed()).toBe(true)
    await proxy.stop()
    await vi.waitFor(() => {
      expect(a.accessPoint.redis?.isSubscribed()).toBe(false)
      expect(b.accessPoint.redis?.isSubscribed()).toBe(false)
    })
    // Sign-in (rate limits fall back to per-instance counts), sessions, roles: all served.
    const { token } = await signInAs(a.client(), devAccount(1))
    expect((await b.client(token).access.me.query()).roles).toEqual(['holder'])
    const signedOutAt = Date.now()
    await a.client(token).auth.signOut.mutate()
    // A knows at once; B, which missed the message, re-reads the database within its TTL.
    await expectError(a.client(token).access.me.query(), 'SESSION_EXPIRED', 401)
    await vi.waitFor(() => expectError(b.client(token).access.me.query(), 'SESSION_EXPIRED', 401), {
      timeout: ttlMs + 2_000,
      interval: 100,
    })
    expect(Date.now() - signedOutAt).toBeLessThan(ttlMs + 2_000)
  })

  test('Redis back: both instances resubscribe and revocations are shared at once again', async () => {
    await proxy.start()
    await vi.waitFor(
      () => {
        expect(a.accessPoint.redis?.isSubscribed()).toBe(true)
        expect(b.accessPoint.redis?.isSubscribed()).toBe(true)
      },
      { timeout: 10_000, interval: 50 },
    )
    const { token } = await signInAs(a.client(), devAccount(2))
    await b.client(token).access.me.query()
    await a.client(token).auth.signOut.mutate()
    await expectError(b.client(token).access.me.query(), 'SESSION_EXPIRED', 401)
  })
})
