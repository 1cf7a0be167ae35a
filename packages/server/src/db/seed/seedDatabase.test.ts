import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../../test/testDatabase.js'
import { defaultModelPrices, demoWalletAddresses } from './defaultModelPrices.js'
import { seedDatabase } from './seedDatabase.js'

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(() => db.dispose())

  test('loads every price in micro-USD per million tokens, and the demo wallets', async () => {
    const result = await seedDatabase({ database: db.database, demo: true })
    expect(result.pricesChanged).toEqual(defaultModelPrices.map((price) => price.model))
    expect(result.walletsCreated).toBe(demoWalletAddresses.length)
    const mini = await db.database.prisma.modelPrice.findFirstOrThrow({
      where: { model: 'gpt-4o-mini' },
    })
    expect(mini).toMatchObject({
      version: 1,
      inputMicroUsdPerMillionTokens: 150_000n,
      cachedInputMicroUsdPerMillionTokens: 75_000n,
      outputMicroUsdPerMillionTokens: 600_000n,
    })
  })

  test('is idempotent, and a changed price becomes the next version', async () => {
    expect(await seedDatabase({ database: db.database, demo: true })).toEqual({
      pricesChanged: [],
      walletsCreated: 0,
    })
    const changed = [
      {
        model: 'gpt-4o-mini',
        provider: 'openai',
        input: '0.20',
        cachedInput: '0.10',
        output: '0.80',
      },
    ]
    expect(await seedDatabase({ database: db.database, prices: changed })).toMatchObject({
      pricesChanged: ['gpt-4o-mini'],
    })
    const versions = await db.database.prisma.modelPrice.findMany({
      where: { model: 'gpt-4o-mini' },
      orderBy: { version: 'asc' },
      select: { version: true, inputMicroUsdPerMillionTokens: true },
    })
    expect(versions).toEqual([
      { version: 1, inputMicroUsdPerMillionTokens: 150_000n },
      { version: 2, inputMicroUsdPerMillionTokens: 200_000n },
    ])
  })

  test('refuses a price that is not a plain decimal USD amount, writing nothing', async () => {
    const bad = [{ model: 'bad', provider: 'dev', input: '0.1e-3', cachedInput: '0', output: '1' }]
    await expect(seedDatabase({ database: db.database, prices: bad })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
    expect(await db.database.prisma.modelPrice.count({ where: { model: 'bad' } })).toBe(0)
  })
})
