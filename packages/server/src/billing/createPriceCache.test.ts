import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { seedDatabase } from '../db/seed/seedDatabase.js'
import type { PrismaClient } from '../generated/prisma/client.js'
import { createPriceCache } from './createPriceCache.js'
import type { BillingLogger } from './types.js'

function createTestLogger() {
  return {
    info: vi.fn<BillingLogger['info']>(),
    warn: vi.fn<BillingLogger['warn']>(),
    error: vi.fn<BillingLogger['error']>(),
  }
}

/** The same client, whose raw queries fail while `down` is set and are counted. */
function createFlakyDatabase(prisma: PrismaClient) {
  const state = { down: false, queries: 0 }
  const flaky = new Proxy(prisma, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key)
      if (key === '$queryRaw')
        return (...args: unknown[]) => {
          state.queries++
          if (state.down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))
          return Reflect.apply(target.$queryRaw, target, args)
        }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { database: { prisma: flaky }, state }
}

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await createTestDatabase(kind)
    await seedDatabase({ database: db.database })
  })
  afterAll(() => db.dispose())

  test('serves the latest version from memory, reloading after the TTL', async () => {
    const { database, state } = createFlakyDatabase(db.database.prisma)
    let now = 1_000_000
    const cache = createPriceCache({ database, ttlMs: 60_000, now: () => now })
    expect(await cache.get('gpt-4o-mini')).toEqual({
      id: expect.any(String),
      model: 'gpt-4o-mini',
      provider: 'openai',
      version: 1,
      inputMicroUsdPerMillionTokens: 150_000n,
      cachedInputMicroUsdPerMillionTokens: 75_000n,
      outputMicroUsdPerMillionTokens: 600_000n,
    })
    await cache.get('gpt-4o')
    expect(state.queries).toBe(1)

    await seedDatabase({
      database: db.database,
      prices: [
        {
          model: 'gpt-4o-mini',
          provider: 'openai',
          input: '0.20',
          cachedInput: '0.10',
          output: '0.80',
        },
      ],
    })
    now += 59_999
    expect((await cache.get('gpt-4o-mini')).version).toBe(1)
    // Past the TTL: the cached price answers at once while the list reloads behind it.
    now += 1
    expect((await cache.get('gpt-4o-mini')).version).toBe(1)
    await vi.waitFor(async () => expect((await cache.get('gpt-4o-mini')).version).toBe(2))
    expect(await cache.get('gpt-4o-mini')).toMatchObject({
      inputMicroUsdPerMillionTokens: 200_000n,
      outputMicroUsdPerMillionTokens: 800_000n,
    })
    expect(state.queries).toBe(2)
    expect((await cache.list()).length).toBeGreaterThanOrEqual(7)
  })

  test('a price that takes effect later is not used yet', async () => {
    await db.database.prisma.modelPrice.create({
      data: {
        model: 'dev-pro',
        provider: 'dev',
        version: 2,
        inputMicroUsdPerMillionTokens: 9n,
        cachedInputMicroUsdPerMillionTokens: 9n,
        outputMicroUsdPerMillionTokens: 9n,
        effectiveFrom: new Date(Date.now() + 3_600_000),
      },
    })
    const cache = createPriceCache({ database: db.database })
    expect((await cache.get('dev-pro')).version).toBe(1)
  })

  test('an unknown model reloads at most once a second, then is MODEL_NOT_FOUND', async () => {
    const { database, state } = createFlakyDatabase(db.database.prisma)
    let now = 0
    const cache = createPriceCache({ database, now: () => now })
    await cache.get('dev-mini')
    now = 5_000
    await expect(cache.get('no-such-model')).rejects.toMatchObject({
      name: 'ModelPriceNotFoundError',
      code: 'MODEL_NOT_FOUND',
      status: 404,
    })
    await expect(cache.get('no-such-model')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' })
    expect(state.queries).toBe(2)

    await seedDatabase({
      database: db.database,
      prices: [{ model: 'brand-new', provider: 'dev', input: '1', cachedInput: '1', output: '1' }],
    })
    now = 6_000
    expect((await cache.get('brand-new')).model).toBe('brand-new')
  })

  test('database down: stale prices for a while, then SERVICE_UNAVAILABLE', async () => {
    const { database, state } = createFlakyDatabase(db.database.prisma)
    let now = 0
    const logger = createTestLogger()
    const cache = createPriceCache({
      database,
      ttlMs: 1_000,
      maxStaleMs: 10_000,
      logger,
      now: () => now,
    })
    state.down = true
    await expect(cache.get('dev-mini')).rejects.toMatchObject({
      name: 'BillingUnavailableError',
      code: 'SERVICE_UNAVAILABLE',
    })
    state.down = false
    await cache.get('dev-mini')
    state.down = true
    now = 5_000
    expect((await cache.get('dev-mini')).model).toBe('dev-mini')
    await vi.waitFor(() =>
      expect(logger.warn).toHaveBeenCalledWith(
        expect.objectContaining({ ageMs: 5_000 }),
        'billing: reloading prices failed; serving cached',
      ),
    )
    now = 10_000
    await expect(cache.get('dev-mini')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' })
    state.down = false
    expect((await cache.get('dev-mini')).model).toBe('dev-mini')
  })
})
