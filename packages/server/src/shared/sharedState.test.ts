import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { expectError } from '../../test/expectError.js'
import { devAccount, signInAs, signMessageFor } from '../../test/signInAs.js'
import { createTestRedisPrefix } from '../../test/testRedis.js'

type Instance = Awaited<ReturnType<TestServer['secondInstance']>>

// Two instances on one PostgreSQL and one Redis, as in production behind a load balancer.
describe('two instances sharing PostgreSQL and Redis', () => {
  let redis: Awaited<ReturnType<typeof createTestRedisPrefix>>
  let a: TestServer
  let b: Instance
  beforeAll(async () => {
    redis = await createTestRedisPrefix()
    a = await createTestServer('postgres', {
      redis: { url: redis.url, keyPrefix: redis.keyPrefix },
      adminAddresses: [devAccount(6).address],
      siwe: {
        domain: 'app.example.com',
        uri: 'https://app.example.com',
        chainIds: [31337],
        rateLimits: {
          perIp: { points: 100_000, windowSeconds: 60 },
          // No account signs in more than 3 times here but 6, for the shared-limit test.
          perAddress: { points: 3, windowSeconds: 60 },
        },
      },
    })
    b = await a.secondInstance()
  })
  afterAll(async () => {
    await a?.close()
    await redis?.cleanup()
  })

  test('both instances are subscribed', () => {
    expect(a.accessPoint.redis?.isSubscribed()).toBe(true)
    expect(b.accessPoint.redis?.isSubscribed()).toBe(true)
  })

  test('a session signed out on A is refused on B on the very next request', async () => {
    const { token } = await signInAs(a.client(), devAccount(1))
    // B caches the session (30 s TTL) ...
    expect((await b.client(token).access.me.query()).roles).toEqual(['holder'])
    expect((await b.client(token).access.me.query()).roles).toEqual(['holder'])
    await a.client(token).auth.signOut.mutate()
    // ... and drops it at once when A says so.
    await expectError(b.client(token).access.me.query(), 'SESSION_EXPIRED', 401)
  })

  test('an admin ending a wallet’s sessions on A ends them on B at once', async () => {
    const victim = (await signInAs(b.client(), devAccount(2))).token
    await b.client(victim).access.me.query()
    const admin = (await signInAs(a.client(), devAccount(0))).token
    const { revoked } = await a
      .client(admin)
      .admin.revokeWalletSessions.mutate({ address: devAccount(2).address })
    expect(revoked).toBeGreaterThanOrEqual(1)
    await expectError(b.client(victim).access.me.query(), 'SESSION_EXPIRED', 401)
  })

  test('an admin ending one session on A ends it on B at once', async () => {
    const victim = await signInAs(b.client(), devAccount(3))
    await b.client(victim.token).access.me.query()
    const admin = (await signInAs(a.client(), devAccount(0))).token
    await a.client(admin).admin.revokeSession.mutate({ sessionId: victim.session.id })
    await expectError(b.client(victim.token).access.me.query(), 'SESSION_EXPIRED', 401)
  })

  test('an API key revoked on A is refused on B at once', async () => {
    const session = (await signInAs(a.client(), devAccount(1))).token
    const { secret, key } = await a.client(session).keys.create.mutate({ name: 'bot' })
    expect((await b.client(secret).access.me.query()).apiKey?.id).toBe(key.id)
    await a.client(session).keys.revoke.mutate({ id: key.id })
    await expectError(b.client(secret).access.me.query(), 'INVALID_API_KEY', 401)
  })

  test('a nonce issued by A and used on B is refused afterwards on A', async () => {
    const signed = await signMessageFor(a.client(), devAccount(3))
    await b.client().auth.signIn.mutate(signed)
    await expectError(a.client().auth.signIn.mutate(signed), 'SIWE_NONCE_INVALID', 401)
  })

  test('sign-in rate limits are shared: attempts on A count on B', async () => {
    const account = devAccount(6)
    await signInAs(a.client(), account)
    await signInAs(a.client(), account)
    await signInAs(b.client(), account)
    // The fourth attempt within the minute, on either instance, is over the limit of 3.
    const signed = await signMessageFor(b.client(), account)
    const response = await fetch(`${b.url}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { message: signed.message, signature: signed.signature } }),
    })
    expect(response.status).toBe(429)
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(JSON.stringify(await response.json())).toContain('RATE_LIMITED')
    await expectError(
      a.client().auth.signIn.mutate(await signMessageFor(a.client(), account)),
      'RATE_LIMITED',
      429,
    )
  })

  test('an access invalidation on A drops B’s cached facts (and is not echoed back)', async () => {
    const address = devAccount(1).address
    await b.accessPoint.services.access.getAccess(address)
    await b.accessPoint.services.access.getAccess(address)
    const before = {
      a: a.accessPoint.services.access.stats(),
      b: b.accessPoint.services.access.stats(),
    }
    // Cached on B: a second read costs no chain call.
    a.accessPoint.services.access.invalidate(address)
    await vi.waitFor(() =>
      expect(b.accessPoint.services.access.stats().invalidations).toBe(before.b.invalidations + 1),
    )
    const missesBefore = b.accessPoint.services.access.stats().misses
    await b.accessPoint.services.access.getAccess(address)
    expect(b.accessPoint.services.access.stats().misses).toBeGreaterThan(missesBefore)
    // B applied it without publishing it again: A counted its own invalidation once.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(a.accessPoint.services.access.stats().invalidations).toBe(before.a.invalidations + 1)
    expect(b.accessPoint.services.access.stats().invalidations).toBe(before.b.invalidations + 1)
  })

  test('admin.refreshAccess on A drops the wallet’s facts on B', async () => {
    const address = devAccount(2).address
    await b.accessPoint.services.access.getAccess(address)
    const before = b.accessPoint.services.access.stats().invalidations
    const admin = (await signInAs(a.client(), devAccount(0))).token
    await a.client(admin).admin.refreshAccess.mutate({ address })
    await vi.waitFor(() =>
      expect(b.accessPoint.services.access.stats().invalidations).toBeGreaterThan(before),
    )
  })
})
