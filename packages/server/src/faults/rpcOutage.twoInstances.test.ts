import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createRpcProxy, type RpcProxy } from '../../test/createRpcProxy.js'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { expectError } from '../../test/expectError.js'
import { devAccount, signInAs } from '../../test/signInAs.js'
import { createTestRedisPrefix } from '../../test/testRedis.js'

type Instance = Awaited<ReturnType<TestServer['secondInstance']>>

// What the test waits for here is the clock itself: a cache lifetime running out.
const clockPast = (time: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now()) + 1))

// The chain's RPC goes away under two whole instances sharing Redis (where one instance's reads
// serve the other). The resolver-level cases (one instance; one RPC down of two) are in
// access/createAccessResolver.failClosed.test.ts and createAccessResolver.shared.test.ts. Here:
// what clients of both instances see, that facts one instance got from the other's read go
// stale when the original read does (sharing never extends a fact's life), and that both serve
// again when the RPC is back, without a restart.
describe('the RPC down under two instances', () => {
  const ttlMs = 6_000
  const sharedLaterMs = 2_000
  let rpc: RpcProxy
  let redis: Awaited<ReturnType<typeof createTestRedisPrefix>>
  let a: TestServer
  let b: Instance

  beforeAll(async () => {
    redis = await createTestRedisPrefix()
    a = await createTestServer(
      'postgres',
      {
        redis: { url: redis.url, keyPrefix: redis.keyPrefix },
        access: { ttl: { ownershipMs: ttlMs, rolesMs: ttlMs }, pollingIntervalMs: 100 },
      },
      {
        routeRpc: async (url) => {
          rpc = await createRpcProxy(url)
          return rpc.url
        },
      },
    )
    b = await a.secondInstance()
  })
  afterAll(async () => {
    rpc?.up()
    await a?.close()
    await rpc?.close()
    await redis?.cleanup()
  })

  const complete = (client: ReturnType<TestServer['client']>) =>
    client.ai.complete.mutate({
      model: 'dev-mini',
      messages: [{ role: 'user', content: 'Is the pass still mine?' }],
      maxTokens: 4,
    })
  const rest = (instance: { url: string }, key: string) =>
    fetch(`${instance.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        model: 'dev-mini',
        messages: [{ role: 'user', content: 'Is the pass still mine?' }],
        max_tokens: 4,
      }),
    })

  test('cached facts serve on both until stale, then both refuse, and both recover', async () => {
    // The wallet's facts are read from the chain at sign-in (by A) and shared through Redis.
    const readFrom = Date.now()
    const { token } = await signInAs(a.client(), devAccount(1))
    const readTo = Date.now()
    const { secret } = await a.client(token).keys.create.mutate({ name: 'bot' })
    expect((await complete(a.client(token))).costMicroUsd).toBeGreaterThan(0n)
    // B first needs them a while later, and takes them from Redis, not from the chain.
    await clockPast(readTo + sharedLaterMs)
    const shared = b.accessPoint.services.access.stats().sharedHits
    expect((await rest(b, secret)).status).toBe(200)
    expect(b.accessPoint.services.access.stats().sharedHits).toBeGreaterThan(shared)

    rpc.down()
    // Within the TTL of the read both instances answer from their caches, through both APIs.
    expect(Date.now() - readFrom, 'the machine stalled past the TTL').toBeLessThan(ttlMs - 1_500)
    expect((await complete(b.client(token))).costMicroUsd).toBeGreaterThan(0n)
    expect((await rest(a, secret)).status).toBe(200)
    // A wallet no instance has read: nothing to serve, and "no roles" would be a guess.
    await expectError(signInAs(b.client(), devAccount(3)), 'CHAIN_UNAVAILABLE', 503)
    await expectError(signInAs(a.client(), devAccount(3)), 'CHAIN_UNAVAILABLE', 503)

    // Stale on both now, B's too: it got them later, but they are as old as A's read. (Were
    // they dated from when B took them, B would serve for another two seconds.)
    const staleAt = readTo + ttlMs + 250
    await clockPast(staleAt)
    for (const instance of [a, b]) {
      await expectError(complete(instance.client(token)), 'CHAIN_UNAVAILABLE', 503)
      const refused = await rest(instance, secret)
      expect(refused.status).toBe(503)
      expect(await refused.json()).toMatchObject({ error: { code: 'CHAIN_UNAVAILABLE' } })
    }
    // The four answers are charged; the refusals placed no hold.
    const entries = await a.accessPoint.database.prisma.ledgerEntry.findMany()
    expect(entries.map((entry) => entry.status)).toEqual(Array(4).fill('CHARGED'))

    // Back: both instances read the chain again and serve, without a restart.
    rpc.up()
    for (const instance of [a, b])
      await vi.waitFor(
        async () => {
          expect((await complete(instance.client(token))).costMicroUsd).toBeGreaterThan(0n)
          expect((await rest(instance, secret)).status).toBe(200)
        },
        { timeout: 15_000, interval: 200 },
      )
    const { token: late } = await signInAs(b.client(), devAccount(3))
    expect((await b.client(late).access.me.query()).roles).toEqual(['holder'])
  })
})
