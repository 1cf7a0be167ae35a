import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { demoWalletAddresses } from '../db/seed/defaultModelPrices.js'
import { seedDatabase } from '../db/seed/seedDatabase.js'
import { getSpendHistory } from './getSpendHistory.js'
import { listModelPrices } from './listModelPrices.js'

const [alice, bob, carol] = demoWalletAddresses
const hour = 3_600_000
const day = 24 * hour
// Mid-afternoon, so the current day and the current hour both have a past and a future.
const now = new Date(Date.UTC(2026, 2, 10, 15, 30))
const today = Date.UTC(2026, 2, 10)

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await createTestDatabase(kind)
    await seedDatabase({ database: db.database, demo: true })
    const price = (await listModelPrices({ database: db.database }))[0]
    if (!price) throw new Error('no price seeded')
    const charged = (requestId: string, capturedAt: number, chargeMicroUsd: bigint) => ({
      requestId,
      walletAddress: alice,
      status: 'CHARGED' as const,
      chargeMicroUsd,
      createdAt: new Date(capturedAt - 1_000),
      capturedAt: new Date(capturedAt),
    })
    await db.database.prisma.ledgerEntry.createMany({
      data: [
        // The current hour, its first instant included.
        charged('a-now', now.getTime() - 10 * 60_000, 100n),
        charged('a-hour-start', today + 15 * hour, 250n),
        // Earlier today, at the last millisecond of hour 3.
        charged('a-03', today + 4 * hour - 1, 1_000n),
        // Created yesterday, captured today: counted when captured.
        { ...charged('a-09', today + 9 * hour + 15 * 60_000, 20n), createdAt: new Date(today - 1) },
        // The last millisecond of two days ago.
        charged('a-2d', today - day - 1, 7n),
        // The first instant of the oldest of 30 days, and the last one before it.
        charged('a-29d', today - 29 * day, 5_000n),
        charged('a-30d', today - 29 * day - 1, 9_999n),
        // Tomorrow (a clock ahead of ours): after the current bucket, so left out.
        charged('a-tomorrow', today + day, 42n),
        // Not charges, whatever their amounts and times say.
        {
          requestId: 'a-held',
          walletAddress: alice,
          status: 'HELD' as const,
          createdAt: new Date(now.getTime() - 60_000),
        },
        {
          requestId: 'a-held-odd',
          walletAddress: alice,
          status: 'HELD' as const,
          chargeMicroUsd: 3n,
          capturedAt: new Date(now.getTime() - 60_000),
        },
        {
          requestId: 'a-released',
          walletAddress: alice,
          status: 'RELEASED' as const,
          capturedAt: new Date(now.getTime() - 5 * 60_000),
        },
        {
          requestId: 'a-released-odd',
          walletAddress: alice,
          status: 'RELEASED' as const,
          chargeMicroUsd: 11n,
          capturedAt: new Date(today + 2 * hour),
        },
        // Another wallet's charges, in the same buckets.
        { ...charged('b-now', now.getTime() - 60_000, 77_777n), walletAddress: bob },
        { ...charged('b-2d', today - 2 * day, 88_888n), walletAddress: bob },
      ].map((entry) => ({
        ...entry,
        model: price.model,
        priceId: price.id,
        holdMicroUsd: 100_000n,
        holdExpiresAt: new Date(now.getTime() + 600_000),
      })),
    })
  })
  afterAll(() => db.dispose())

  test('30 days by default: oldest first, ending today, zero-filled, only the wallet’s charges', async () => {
    const history = await getSpendHistory({ database: db.database, walletAddress: alice, now })
    expect(history.bucket).toBe('day')
    expect(history.buckets).toHaveLength(30)
    expect(history.buckets.map((bucket) => bucket.start)).toEqual(
      Array.from({ length: 30 }, (_, i) => new Date(today - (29 - i) * day)),
    )
    const nonZero = history.buckets.filter((bucket) => bucket.requests > 0)
    expect(nonZero).toEqual([
      { start: new Date(today - 29 * day), chargedMicroUsd: 5_000n, requests: 1 },
      { start: new Date(today - 2 * day), chargedMicroUsd: 7n, requests: 1 },
      { start: new Date(today), chargedMicroUsd: 100n + 250n + 1_000n + 20n, requests: 4 },
    ])
    for (const bucket of history.buckets)
      if (bucket.requests === 0) expect(bucket.chargedMicroUsd).toBe(0n)
    expect(history.totalMicroUsd).toBe(5_000n + 7n + 1_370n)
  })

  test('hours: the last 24 end with the current hour', async () => {
    const history = await getSpendHistory({
      database: db.database,
      walletAddress: alice,
      bucket: 'hour',
      count: 24,
      now,
    })
    expect(history.bucket).toBe('hour')
    expect(history.buckets).toHaveLength(24)
    expect(history.buckets[0]?.start).toEqual(new Date(today + 15 * hour - 23 * hour))
    expect(history.buckets.at(-1)?.start).toEqual(new Date(today + 15 * hour))
    expect(
      history.buckets
        .filter((bucket) => bucket.requests > 0)
        .map(({ start, chargedMicroUsd, requests }) => [
          (start.getTime() - today) / hour,
          chargedMicroUsd,
          requests,
        ]),
    ).toEqual([
      [3, 1_000n, 1],
      [9, 20n, 1],
      [15, 350n, 2],
    ])
    expect(history.totalMicroUsd).toBe(1_370n)
  })

  test('one bucket is the current one; any casing of the address is the same wallet', async () => {
    const history = await getSpendHistory({
      database: db.database,
      walletAddress: alice.toUpperCase().replace('0X', '0x'),
      bucket: 'hour',
      count: 1,
      now,
    })
    expect(history.buckets).toEqual([
      { start: new Date(today + 15 * hour), chargedMicroUsd: 350n, requests: 2 },
    ])
    expect(history.totalMicroUsd).toBe(350n)
  })

  test('other wallets see only their own charges; a wallet with none gets zeros', async () => {
    const bobs = await getSpendHistory({
      database: db.database,
      walletAddress: bob,
      count: 3,
      now,
    })
    expect(bobs.buckets.map((bucket) => [bucket.chargedMicroUsd, bucket.requests])).toEqual([
      [88_888n, 1],
      [0n, 0],
      [77_777n, 1],
    ])
    expect(bobs.totalMicroUsd).toBe(166_665n)

    const carols = await getSpendHistory({
      database: db.database,
      walletAddress: carol,
      count: 366,
      now,
    })
    expect(carols.buckets).toHaveLength(366)
    expect(carols.buckets.every((bucket) => bucket.chargedMicroUsd === 0n)).toBe(true)
    expect(carols.totalMicroUsd).toBe(0n)
  })

  test('refuses a bad count or bucket', async () => {
    for (const count of [0, 367, 1.5, Number.NaN])
      await expect(
        getSpendHistory({ database: db.database, walletAddress: alice, count }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    for (const bucket of ['week', 'toString'])
      await expect(
        getSpendHistory({
          database: db.database,
          walletAddress: alice,
          // @ts-expect-error: deliberately wrong input
          bucket,
        }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
