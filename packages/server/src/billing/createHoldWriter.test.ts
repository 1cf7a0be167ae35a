import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  createSeededTestDatabase,
  createUnreachableDatabase,
  databaseKinds,
  type TestDatabase,
} from '../../test/testDatabase.js'
import { createDatabase, type Database } from '../db/createDatabase.js'
import { demoWalletAddresses } from '../db/seed/defaultModelPrices.js'
import { createHoldWriter, type HoldWriter } from './createHoldWriter.js'
import { createLedgerWriter } from './createLedgerWriter.js'
import { placeHold } from './placeHold.js'
import type { ModelPriceRecord } from './types.js'

const wallet = demoWalletAddresses[0]

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  let price: ModelPriceRecord
  let nextTokenId = 1n
  let nextRequest = 0
  const extraPools: Database[] = []

  beforeAll(async () => {
    const seeded = await createSeededTestDatabase(kind)
    db = seeded.db
    price = seeded.price
  })
  afterAll(async () => {
    await Promise.all(extraPools.map((database) => database.close()))
    await db.dispose()
  })

  async function createPass(creditMicroUsd: bigint, data: { debt?: bigint } = {}) {
    const tokenId = nextTokenId++
    const { id } = await db.database.prisma.pass.create({
      data: {
        chainId: 31337,
        contractAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
        tokenId: tokenId.toString(),
        creditMicroUsd,
        debtMicroUsd: data.debt ?? 0n,
        suspendedAt: data.debt ? new Date() : null,
      },
    })
    return { id, tokenId, creditMicroUsd }
  }

  function holdOn(pass: { id: string; creditMicroUsd: bigint }, holdMicroUsd = 1_000n) {
    return {
      requestId: `hw-${kind}-${nextRequest++}`,
      walletAddress: wallet,
      pass,
      model: price.model,
      priceId: price.id,
      holdMicroUsd,
      holdTtlMs: 60_000,
    }
  }

  async function passState(passId: string) {
    const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: passId } })
    const entries = await db.database.prisma.ledgerEntry.aggregate({
      where: { passId, status: 'HELD' },
      _sum: { holdMicroUsd: true },
      _count: true,
    })
    // The counter and the ledger agree: no hold without its entry, or the reverse.
    expect(entries._sum.holdMicroUsd ?? 0n).toBe(row.heldMicroUsd)
    return { held: row.heldMicroUsd, entries: entries._count }
  }

  async function withWriter<T>(
    run: (holds: HoldWriter) => Promise<T>,
    database: Database = db.database,
  ) {
    const holds = createHoldWriter({ database })
    try {
      return await run(holds)
    } finally {
      await holds.close()
    }
  }

  test('admits concurrent holds over many passes in a few statements; pass and ledger agree', async () => {
    const passes = await Promise.all(Array.from({ length: 20 }, () => createPass(10n ** 9n)))
    const calls = 2_000
    const { elapsedMs, stats } = await withWriter(async (holds) => {
      const started = performance.now()
      const results = await Promise.all(
        Array.from({ length: calls }, (_, i) =>
          holds.place(holdOn(passes[i % passes.length] as (typeof passes)[number])),
        ),
      )
      const elapsedMs = performance.now() - started
      expect(results.every((result) => result.holdMicroUsd === 1_000n)).toBe(true)
      return { elapsedMs, stats: holds.stats() }
    })
    expect(stats).toMatchObject({ admitted: calls, refused: 0, failedBatches: 0, queued: 0 })
    // Batched: far fewer statements than holds (each batch is at most 256 holds).
    expect(stats.batches).toBeGreaterThanOrEqual(Math.ceil(calls / 256))
    expect(stats.batches).toBeLessThan(calls / 10)
    for (const pass of passes)
      expect(await passState(pass.id)).toEqual({ held: 100_000n, entries: 100 })

    // Baseline in the same run: the same holds placed one statement each, as many at a time as
    // the test pool has connections (2,000 at once would wait in the pool's queue past its connect
    // timeout on a loaded CI machine, and measure the queue, not the statements).
    const alone = await Promise.all(Array.from({ length: 20 }, () => createPass(10n ** 9n)))
    let next = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        for (let i = next++; i < calls; i = next++)
          await placeHold({
            database: db.database,
            ...holdOn(alone[i % alone.length] as (typeof alone)[number]),
          })
      }),
    )
    const aloneMs = performance.now() - started
    console.info(
      `[createHoldWriter] ${kind}: ${calls} concurrent holds over 20 passes in ` +
        `${elapsedMs.toFixed(0)} ms, ${stats.batches} statements ` +
        `(${Math.round((calls / elapsedMs) * 1000)} holds/s); one statement per hold: ` +
        `${aloneMs.toFixed(0)} ms (${Math.round((calls / aloneMs) * 1000)} holds/s)`,
    )
  })

  test('a pass funded for 50 admits exactly 50 of 200 concurrent holds, in arrival order', async () => {
    const pass = await createPass(50_000n)
    const results = await withWriter((holds) =>
      Promise.allSettled(Array.from({ length: 200 }, () => holds.place(holdOn(pass)))),
    )
    const admitted = results.filter((result) => result.status === 'fulfilled')
    expect(admitted).toHaveLength(50)
    for (const result of results)
      if (result.status === 'rejected')
        expect(result.reason).toMatchObject({
          code: 'INSUFFICIENT_BALANCE',
          status: 402,
          availableMicroUsd: 0n,
        })
    // Queued together, so the first 50 to arrive are the ones admitted.
    expect(results.slice(0, 50).every((result) => result.status === 'fulfilled')).toBe(true)
    expect(await passState(pass.id)).toEqual({ held: 50_000n, entries: 50 })
  })

  test('mixed sizes on one pass: a refused hold did not fit what was left after the others', async () => {
    const pass = await createPass(20_000n)
    const sizes = Array.from({ length: 100 }, (_, i) => BigInt(100 + ((i * 7919) % 1_900)))
    const results = await withWriter((holds) =>
      Promise.allSettled(sizes.map((size) => holds.place(holdOn(pass, size)))),
    )
    const { held } = await passState(pass.id)
    const admittedSum = results.reduce(
      (sum, result, i) => (result.status === 'fulfilled' ? sum + (sizes[i] as bigint) : sum),
      0n,
    )
    expect(admittedSum).toBe(held)
    results.forEach((result, i) => {
      if (result.status === 'rejected') expect((sizes[i] as bigint) > 20_000n - held).toBe(true)
    })
  })

  test('each admitted hold reports the pass right after it; lastUsage remembers the last', async () => {
    const pass = await createPass(1_000_000n)
    await withWriter(async (holds) => {
      expect(holds.lastUsage(pass.id)).toBeUndefined()
      const [first, second] = await Promise.all([
        holds.place(holdOn(pass, 1_000n)),
        holds.place(holdOn(pass, 2_000n)),
      ])
      expect(first?.balance).toEqual({
        creditMicroUsd: 1_000_000n,
        pendingMicroUsd: 0n,
        heldMicroUsd: 1_000n,
        availableMicroUsd: 999_000n,
      })
      expect(second?.balance.heldMicroUsd).toBe(3_000n)
      expect(second?.balance.availableMicroUsd).toBe(997_000n)
      expect(holds.lastUsage(pass.id)).toEqual({
        pendingMicroUsd: 0n,
        heldMicroUsd: 3_000n,
        debtMicroUsd: 0n,
      })
    })
  })

  test('a duplicate request id in a batch refuses only the duplicate (CONFLICT)', async () => {
    const pass = await createPass(1_000_000n)
    const duplicate = holdOn(pass)
    await placeHold({ database: db.database, ...duplicate })
    const { results, stats } = await withWriter(async (holds) => ({
      results: await Promise.allSettled([
        holds.place(holdOn(pass)),
        holds.place(duplicate),
        holds.place(holdOn(pass)),
      ]),
      stats: holds.stats(),
    }))
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(results[1]).toMatchObject({
      reason: { name: 'DuplicateRequestError', code: 'CONFLICT' },
    })
    expect(stats.splitBatches).toBe(1)
    expect(await passState(pass.id)).toEqual({ held: 3_000n, entries: 3 })
  })

  test('a hold refused in its batch that fits on a fresh read is placed with the next batch', async () => {
    const pass = await createPass(1_000n)
    const first = holdOn(pass)
    await placeHold({ database: db.database, ...first })
    const ledger = createLedgerWriter({ database: db.database })
    // The first batch statement refuses the new hold (the pass is full); the old hold is
    // released before the writer re-reads the pass, so the re-read says it fits.
    let statements = 0
    const releasing: Database = {
      ...db.database,
      async query<Row>(text: string, values?: readonly unknown[]) {
        const rows = await db.database.query<Row>(text, values)
        if (++statements === 1) await ledger.release({ requestId: first.requestId })
        return rows
      },
    }
    try {
      const { placed, stats } = await withWriter(
        async (holds) => ({ placed: await holds.place(holdOn(pass)), stats: holds.stats() }),
        releasing,
      )
      expect(placed.balance.availableMicroUsd).toBe(0n)
      expect(stats).toMatchObject({ admitted: 1, retried: 1, refused: 0 })
      expect(await passState(pass.id)).toEqual({ held: 1_000n, entries: 1 })
    } finally {
      await ledger.close()
    }
  })

  test('a suspended pass is PAYMENT_FAILED and an unknown pass NOT_FOUND; nothing is held', async () => {
    const suspended = await createPass(5_000n, { debt: 10_000n })
    const unknown = { id: '01900000-0000-7000-8000-000000000000', creditMicroUsd: 1_000n }
    const [owing, missing] = await withWriter((holds) =>
      Promise.allSettled([holds.place(holdOn(suspended)), holds.place(holdOn(unknown))]),
    )
    expect(owing).toMatchObject({
      reason: { code: 'PAYMENT_FAILED', debtMicroUsd: 10_000n, amountDueMicroUsd: 5_000n },
    })
    expect((owing as PromiseRejectedResult).reason.message).toContain(`#${suspended.tokenId}`)
    expect(missing).toMatchObject({ reason: { name: 'PassNotFoundError', code: 'NOT_FOUND' } })
    expect(await passState(suspended.id)).toEqual({ held: 0n, entries: 0 })
  })

  test('refuses bad input before it reaches the database, and everything once closed', async () => {
    const pass = await createPass(1_000_000n)
    const holds = createHoldWriter({ database: db.database })
    await expect(holds.place({ ...holdOn(pass), holdMicroUsd: -1n })).rejects.toMatchObject({
      name: 'InvalidInputError',
      code: 'INVALID_INPUT',
      issues: [{ path: 'holdMicroUsd' }],
    })
    await expect(holds.place({ ...holdOn(pass), requestId: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
    // Queued before close: committed before close resolves.
    const queued = holds.place(holdOn(pass))
    await holds.close()
    await expect(queued).resolves.toMatchObject({ holdMicroUsd: 1_000n })
    await expect(holds.place(holdOn(pass))).rejects.toMatchObject({
      name: 'BillingUnavailableError',
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
    })
    expect(await passState(pass.id)).toEqual({ held: 1_000n, entries: 1 })
  })

  if (kind === 'postgres') {
    test('an unreachable database refuses every hold of the batch with SERVICE_UNAVAILABLE', async () => {
      const down = await createUnreachableDatabase()
      try {
        const pass = { id: '01900000-0000-7000-8000-000000000000', creditMicroUsd: 1_000n }
        const results = await withWriter(
          (holds) => Promise.allSettled([holds.place(holdOn(pass)), holds.place(holdOn(pass))]),
          down,
        )
        for (const result of results)
          expect(result).toMatchObject({
            status: 'rejected',
            reason: { name: 'BillingUnavailableError', code: 'SERVICE_UNAVAILABLE' },
          })
      } finally {
        await down.close()
      }
    })

    test('two instances (two writers, two pools) on one pass funded for 50: exactly 50', async () => {
      if (!db.url) throw new Error('PostgreSQL test database has no URL')
      const pools = [
        await createDatabase({ kind: 'postgres', url: db.url, pool: { max: 5 } }),
        await createDatabase({ kind: 'postgres', url: db.url, pool: { max: 5 } }),
      ]
      extraPools.push(...pools)
      const pass = await createPass(50_000n)
      const writers = pools.map((database) => createHoldWriter({ database }))
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) => (writers[i % 2] as HoldWriter).place(holdOn(pass))),
      )
      await Promise.all(writers.map((writer) => writer.close()))
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(50)
      expect(await passState(pass.id)).toEqual({ held: 50_000n, entries: 50 })
    })
  }
})
