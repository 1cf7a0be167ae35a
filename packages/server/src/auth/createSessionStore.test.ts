import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/testDatabase.js'
import { createSessionStore, sessionTokenPrefix } from './createSessionStore.js'

const walletAddress = '0x00000000000000000000000000000000000000a1'
let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase('embedded')
  await db.database.prisma.wallet.create({ data: { address: walletAddress } })
})
afterAll(() => db?.dispose())

const newSession = (store: ReturnType<typeof createSessionStore>) =>
  store.create({
    walletAddress,
    chainId: 31337,
    domain: 'app.example.com',
    uri: 'https://app.example.com',
    siweMessage: 'signed',
    signature: '0x',
    expiresAt: new Date(Date.now() + 3_600_000),
  })
const madeUp = (index: number) => `${sessionTokenPrefix}${'x'.repeat(40)}${index}`

test('a dead token costs one database read however often it is tried', async () => {
  const store = createSessionStore({ database: db.database })
  for (let attempt = 0; attempt < 5; attempt++)
    await expect(store.authenticate(madeUp(0))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
  expect(store.stats()).toEqual({ hits: 4, misses: 1 })
})

test('a flood of made-up tokens does not push real sessions out of the cache', async () => {
  const store = createSessionStore({ database: db.database, cache: { max: 2 } })
  const { token } = await newSession(store)
  for (let index = 0; index < 50; index++) await store.authenticate(madeUp(index)).catch(() => {})
  const before = store.stats()
  await store.authenticate(token)
  expect(store.stats()).toEqual({ hits: before.hits + 1, misses: before.misses })
})

test('the cache is bounded in bytes as well as entries', async () => {
  // Room for one session of this size (~370 estimated bytes), not two.
  const store = createSessionStore({ database: db.database, cache: { maxBytes: 600 } })
  const first = await newSession(store)
  const second = await newSession(store)
  await store.authenticate(second.token)
  expect(store.stats()).toEqual({ hits: 1, misses: 0 })
  // The first was evicted to make room: read again from the database, and still valid.
  expect((await store.authenticate(first.token)).sessionId).toBe(first.session.sessionId)
  expect(store.stats()).toEqual({ hits: 1, misses: 1 })
})

test('a revoked session is refused, also from the refusal cache', async () => {
  const store = createSessionStore({ database: db.database })
  const { token, session } = await newSession(store)
  await store.revoke(session.sessionId, 'test')
  await expect(store.authenticate(token)).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
  await expect(store.authenticate(token)).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
})
