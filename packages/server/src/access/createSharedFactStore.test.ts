import { Redis } from 'ioredis'
import type { Address } from 'viem'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { createRedisProxy, createTestRedisPrefix } from '../../test/testRedis.js'
import type { CachedFact } from './createFactCache.js'
import { createSharedFactStore, type SharedFactStore } from './createSharedFactStore.js'

const address: Address = '0x00000000000000000000000000000000000000Aa'
const later = () => Date.now() + 60_000
const facts = (credit: bigint) =>
  new Map<string, CachedFact>([
    ['balance', { value: 2n, expiresAt: later() }],
    ['passes', { value: [{ tokenId: 7n, creditMicroUsd: credit }], expiresAt: later() }],
  ])

let redis: Awaited<ReturnType<typeof createTestRedisPrefix>>
let clients: Redis[] = []
let store: SharedFactStore
let other: SharedFactStore
beforeAll(async () => {
  redis = await createTestRedisPrefix()
  clients = [new Redis(redis.url), new Redis(redis.url)]
  await Promise.all(clients.map((client) => client.ping()))
  ;[store, other] = clients.map((client) =>
    createSharedFactStore({ client, keyPrefix: redis.keyPrefix }),
  ) as [SharedFactStore, SharedFactStore]
})
afterAll(async () => {
  for (const client of clients) client.disconnect()
  await redis?.cleanup()
})

test('what one instance writes, another reads back, bigints and all', async () => {
  const { generation } = (await store.read(1, address)) ?? { generation: '' }
  store.write(1, address, generation, facts(5_000_000n))
  await vi.waitFor(async () => expect((await other.read(1, address))?.facts.size).toBe(2))
  const read = await other.read(1, address)
  expect(read?.facts.get('passes')?.value).toEqual([{ tokenId: 7n, creditMicroUsd: 5_000_000n }])
  // Per chain: chain 2 has nothing for the address.
  expect((await other.read(2, address))?.facts.size).toBe(0)
})

test('a read that raced an invalidation on another instance cannot store what it saw', async () => {
  const before = await store.read(3, address)
  other.drop(3, address) // the pass was sold while `store` was reading the chain
  await vi.waitFor(async () =>
    expect((await store.read(3, address))?.generation).not.toBe(before?.generation),
  )
  store.write(3, address, before?.generation ?? '', facts(1n))
  const after = await other.read(3, address)
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect((await other.read(3, address))?.facts.size).toBe(0)
  // A read begun after the invalidation may store.
  store.write(3, address, after?.generation ?? '', facts(2n))
  await vi.waitFor(async () => expect((await other.read(3, address))?.facts.size).toBe(2))
})

test('dropping the address or its chain voids what was stored', async () => {
  const write = async (credit: bigint) => {
    store.write(4, address, (await store.read(4, address))?.generation ?? '', facts(credit))
    await vi.waitFor(async () => expect((await other.read(4, address))?.facts.size).toBe(2))
  }
  await write(1n)
  other.drop(4, address)
  await vi.waitFor(async () => expect((await store.read(4, address))?.facts.size).toBe(0))
  await write(2n)
  other.dropChain(4)
  await vi.waitFor(async () => expect((await store.read(4, address))?.facts.size).toBe(0))
})

test('a drop that could not be sent (Redis away) voids the chain once Redis is back', async () => {
  const proxy = await createRedisProxy()
  const client = new Redis(proxy.url, {
    enableOfflineQueue: false,
    retryStrategy: () => 50,
    maxRetriesPerRequest: 0,
  })
  client.on('error', () => {})
  await vi.waitFor(() => expect(client.status).toBe('ready'))
  const cut = createSharedFactStore({ client, keyPrefix: redis.keyPrefix })
  store.write(5, address, (await store.read(5, address))?.generation ?? '', facts(1n))
  await vi.waitFor(async () => expect((await cut.read(5, address))?.facts.size).toBe(2))
  await proxy.stop()
  await vi.waitFor(() => expect(client.status).not.toBe('ready'))
  // Redis cannot be asked: the caller reads the chain instead.
  expect(await cut.read(5, address)).toBeUndefined()
  cut.drop(5, address) // e.g. a Transfer seen by this instance's watcher, during the outage
  await proxy.start()
  await vi.waitFor(async () => expect((await other.read(5, address))?.facts.size).toBe(0), {
    timeout: 5_000,
  })
  client.disconnect()
})
