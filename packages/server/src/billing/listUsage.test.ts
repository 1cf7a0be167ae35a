import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { demoWalletAddresses } from '../db/seed/defaultModelPrices.js'
import { seedDatabase } from '../db/seed/seedDatabase.js'
import { listModelPrices } from './listModelPrices.js'
import { listUsage } from './listUsage.js'

const [alice, bob] = demoWalletAddresses
const base = Date.UTC(2026, 0, 1)

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  let passA: string
  let passB: string

  beforeAll(async () => {
    db = await createTestDatabase(kind)
    await seedDatabase({ database: db.database, demo: true })
    const price = (await listModelPrices({ database: db.database }))[0]
    if (!price) throw new Error('no price seeded')
    const pass = (tokenId: string) =>
      db.database.prisma.pass.create({
        data: {
          chainId: 31337,
          contractAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
          tokenId,
        },
      })
    passA = (await pass('1')).id
    passB = (await pass('2')).id
    // Alice: 25 entries, three per millisecond so the request id breaks ties; every third
    // one still HELD, every fifth RELEASED, the rest CHARGED i micro-USD. Bob: 4 entries.
    const entries = Array.from({ length: 25 }, (_, i) => {
      const status = i % 5 === 0 ? 'RELEASED' : i % 3 === 0 ? 'HELD' : 'CHARGED'
      return {
        requestId: `a-${String(i).padStart(2, '0')}`,
        walletAddress: alice,
        passId: i < 20 ? passA : passB,
        createdAt: new Date(base + Math.floor(i / 3)),
        status,
        chargeMicroUsd: status === 'CHARGED' ? BigInt(i) : null,
        capturedAt: status === 'HELD' ? null : new Date(base + 60_000),
        settledAt: i === 1 ? new Date(base + 120_000) : null,
      } as const
    })
    await db.database.prisma.ledgerEntry.createMany({
      data: [
        ...entries,
        ...Array.from({ length: 4 }, (_, i) => ({
          requestId: `b-${i}`,
          walletAddress: bob,
          passId: passB,
          createdAt: new Date(base + i),
          status: 'CHARGED' as const,
          chargeMicroUsd: 1_000n,
        })),
      ].map((entry) => ({
        ...entry,
        model: price.model,
        priceId: price.id,
        holdMicroUsd: 5_000n,
        holdExpiresAt: new Date(base + 600_000),
      })),
    })
  })
  afterAll(() => db.dispose())

  test('pages newest first with an opaque cursor, and totals for the whole filter', async () => {
    const charged = Array.from({ length: 25 }, (_, i) => i).filter((i) => i % 5 && i % 3)
    expect(charged).toHaveLength(13)
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await listUsage({
        database: db.database,
        walletAddress: alice,
        cursor,
        limit: 10,
      })
      expect(page.totals).toEqual({
        count: 25,
        chargedCount: 13,
        chargedMicroUsd: BigInt(charged.reduce((a, b) => a + b, 0)),
      })
      seen.push(...page.items.map((item) => item.requestId))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual(
      Array.from({ length: 25 }, (_, i) => `a-${String(24 - i).padStart(2, '0')}`),
    )
  })

  test('rows carry what a usage page shows', async () => {
    const { items } = await listUsage({ database: db.database, walletAddress: alice, limit: 100 })
    expect(items.find((item) => item.requestId === 'a-01')).toEqual({
      requestId: 'a-01',
      passId: passA,
      model: expect.any(String),
      status: 'CHARGED',
      holdMicroUsd: 5_000n,
      chargeMicroUsd: 1n,
      inputTokens: null,
      cachedInputTokens: null,
      outputTokens: null,
      stream: false,
      aborted: false,
      finishReason: null,
      createdAt: new Date(base),
      capturedAt: new Date(base + 60_000),
      settled: true,
    })
  })

  test('entries added after the first page do not shift the next pages', async () => {
    const first = await listUsage({ database: db.database, walletAddress: bob, limit: 2 })
    expect(first.items.map((item) => item.requestId)).toEqual(['b-3', 'b-2'])
    const price = (await listModelPrices({ database: db.database }))[0]
    await db.database.prisma.ledgerEntry.create({
      data: {
        requestId: 'b-new',
        walletAddress: bob,
        passId: passB,
        model: price?.model ?? '',
        priceId: price?.id ?? '',
        holdMicroUsd: 1n,
        holdExpiresAt: new Date(base + 600_000),
      },
    })
    const second = await listUsage({
      database: db.database,
      walletAddress: bob,
      limit: 2,
      cursor: first.nextCursor,
    })
    expect(second.items.map((item) => item.requestId)).toEqual(['b-1', 'b-0'])
    expect(second.nextCursor).toBeNull()
    await db.database.prisma.ledgerEntry.delete({ where: { requestId: 'b-new' } })
  })

  test('filters by passes', async () => {
    const page = await listUsage({ database: db.database, passIds: [passB], limit: 100 })
    expect(page.totals.count).toBe(5 + 4)
    expect(new Set(page.items.map((item) => item.passId))).toEqual(new Set([passB]))
    const both = await listUsage({ database: db.database, walletAddress: alice, passIds: [passB] })
    expect(both.totals.count).toBe(5)
    expect((await listUsage({ database: db.database, passIds: [] })).totals.count).toBe(0)
  })

  test('refuses a bad limit or a forged cursor', async () => {
    for (const limit of [0, 101, 1.5])
      await expect(listUsage({ database: db.database, limit })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      })
    for (const cursor of ['nope', Buffer.from('["x","y"]').toString('base64url')])
      await expect(listUsage({ database: db.database, cursor })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        shortMessage: 'Invalid cursor: pass back the nextCursor of the previous page.',
      })
  })
})
