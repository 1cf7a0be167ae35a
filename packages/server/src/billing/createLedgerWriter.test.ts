import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import {
  createSeededTestDatabase,
  databaseKinds,
  type TestDatabase,
} from '../../test/testDatabase.js'
import { createDatabase, type Database } from '../db/createDatabase.js'
import { demoWalletAddresses } from '../db/seed/defaultModelPrices.js'
import { createLedgerWriter, type LedgerWriter } from './createLedgerWriter.js'
import { placeHold } from './placeHold.js'
import type { BillingLogger, ModelPriceRecord } from './types.js'

const wallet = demoWalletAddresses[0]

function createTestLogger() {
  return {
    info: vi.fn<BillingLogger['info']>(),
    warn: vi.fn<BillingLogger['warn']>(),
    error: vi.fn<BillingLogger['error']>(),
  }
}

/** The same database, counting the statements run through `query` (one per batch). */
function countStatements(database: Database) {
  const counter = { statements: 0 }
  const counted: Database = {
    ...database,
    query(text, values) {
      counter.statements++
      return database.query(text, values)
    },
  }
  return { database: counted, counter }
}

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  let price: ModelPriceRecord
  let nextTokenId = 1n
  let nextRequest = 0

  beforeAll(async () => {
    const seeded = await createSeededTestDatabase(kind)
    db = seeded.db
    price = seeded.price
  })
  afterAll(() => db.dispose())

  async function createPass(creditMicroUsd = 10n ** 12n) {
    const { id } = await db.database.prisma.pass.create({
      data: {
        chainId: 31337,
        contractAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
        tokenId: (nextTokenId++).toString(),
        creditMicroUsd,
      },
    })
    return { id, creditMicroUsd }
  }

  async function placeHolds(pass: { id: string; creditMicroUsd: bigint }, count: number) {
    const requestIds = Array.from({ length: count }, () => `req-${nextRequest++}`)
    await Promise.all(
      requestIds.map((requestId) =>
        placeHold({
          database: db.database,
          requestId,
          walletAddress: wallet,
          pass,
          model: price.model,
          priceId: price.id,
          holdMicroUsd: 1_000n,
          holdTtlMs: 60_000,
        }),
      ),
    )
    return requestIds
  }

  /** Many holds at once, written directly: faster than placeHold, which has its own tests. */
  async function insertHolds(pass: { id: string }, count: number) {
    const requestIds = Array.from({ length: count }, () => `req-${nextRequest++}`)
    await db.database.prisma.$transaction([
      db.database.prisma.ledgerEntry.createMany({
        data: requestIds.map((requestId) => ({
          requestId,
          walletAddress: wallet,
          passId: pass.id,
          model: price.model,
          priceId: price.id,
          holdMicroUsd: 1_000n,
          holdExpiresAt: new Date(Date.now() + 60_000),
        })),
      }),
      db.database.prisma.pass.update({
        where: { id: pass.id },
        data: { heldMicroUsd: { increment: 1_000n * BigInt(count) } },
      }),
    ])
    return requestIds
  }

  const readPass = (id: string) =>
    db.database.prisma.pass.findUniqueOrThrow({
      where: { id },
      select: { heldMicroUsd: true, pendingMicroUsd: true },
    })

  function capture(writer: LedgerWriter, requestId: string, chargeMicroUsd: bigint) {
    return writer.capture({
      requestId,
      chargeMicroUsd,
      usage: { inputTokens: 100, cachedInputTokens: 20, outputTokens: 50 },
      finishReason: 'stop',
    })
  }

  test('many captures go in few transactions; each resolves once committed', async () => {
    const pass = await createPass()
    const requestIds = await insertHolds(pass, 600)
    const { database, counter } = countStatements(db.database)
    const writer = createLedgerWriter({ database, logger: createTestLogger() })

    // Read on another connection the moment each promise resolves: what it reports is there.
    const reader =
      kind === 'postgres' ? new pg.Pool({ connectionString: db.url, max: 1 }) : undefined
    const seenCommitted: boolean[] = []
    await Promise.all(
      requestIds.map((requestId, index) =>
        capture(writer, requestId, BigInt(index)).then(async (result) => {
          expect(result).toEqual({ changed: true, chargeMicroUsd: BigInt(index) })
          if (index % 100 !== 0) return
          const status = reader
            ? (
                await reader.query<{ status: string }>(
                  'SELECT status FROM "LedgerEntry" WHERE "requestId" = $1',
                  [requestId],
                )
              ).rows[0]?.status
            : (
                await db.database.prisma.ledgerEntry.findUniqueOrThrow({
                  where: { requestId },
                })
              ).status
          seenCommitted.push(status === 'CHARGED')
        }),
      ),
    )
    await reader?.end()
    expect(seenCommitted).toEqual(Array(6).fill(true))

    // 600 entries, at most 256 a batch: 3 statements (4 if a timer split one).
    expect(counter.statements).toBeLessThanOrEqual(4)
    expect(writer.stats()).toMatchObject({
      batches: counter.statements,
      captured: 600,
      unchanged: 0,
      failedAttempts: 0,
      queued: 0,
    })
    const expectedCharges = BigInt((599 * 600) / 2)
    expect(await readPass(pass.id)).toEqual({ heldMicroUsd: 0n, pendingMicroUsd: expectedCharges })
    const entry = await db.database.prisma.ledgerEntry.findUniqueOrThrow({
      where: { requestId: requestIds[7] as string },
    })
    expect(entry).toMatchObject({
      status: 'CHARGED',
      chargeMicroUsd: 7n,
      inputTokens: 100,
      cachedInputTokens: 20,
      outputTokens: 50,
      aborted: false,
      finishReason: 'stop',
    })
    expect(entry.capturedAt).toBeInstanceOf(Date)
    await writer.close()
  })

  test('a capture is idempotent: repeats and unknown ids change nothing', async () => {
    const pass = await createPass()
    const [first, second] = await placeHolds(pass, 2)
    const logger = createTestLogger()
    const writer = createLedgerWriter({ database: db.database, logger })
    expect(await capture(writer, first as string, 300n)).toEqual({
      changed: true,
      chargeMicroUsd: 300n,
    })
    // Again later, and twice within one batch.
    expect(await capture(writer, first as string, 300n)).toEqual({
      changed: false,
      chargeMicroUsd: null,
    })
    const both = await Promise.all([
      capture(writer, second as string, 200n),
      capture(writer, second as string, 999n),
    ])
    expect(both).toEqual([
      { changed: true, chargeMicroUsd: 200n },
      { changed: false, chargeMicroUsd: null },
    ])
    expect(await capture(writer, 'req-never-held', 5n)).toEqual({
      changed: false,
      chargeMicroUsd: null,
    })
    expect(await readPass(pass.id)).toEqual({ heldMicroUsd: 0n, pendingMicroUsd: 500n })
    await writer.close()
    await vi.waitFor(() =>
      expect(logger.warn).toHaveBeenCalledWith(
        { requestId: 'req-never-held' },
        'billing: capture for an unknown request id; ignored',
      ),
    )
  })

  test('release returns the hold without a charge', async () => {
    const pass = await createPass()
    const [requestId, other] = (await placeHolds(pass, 2)) as [string, string]
    const writer = createLedgerWriter({ database: db.database, logger: createTestLogger() })
    expect(await writer.release({ requestId })).toEqual({ changed: true, chargeMicroUsd: null })
    expect(await readPass(pass.id)).toEqual({ heldMicroUsd: 1_000n, pendingMicroUsd: 0n })
    expect(
      await db.database.prisma.ledgerEntry.findUniqueOrThrow({ where: { requestId } }),
    ).toMatchObject({ status: 'RELEASED', chargeMicroUsd: null, inputTokens: null })
    // Final means final: neither a capture nor another release changes it.
    expect((await capture(writer, requestId, 10n)).changed).toBe(false)
    expect((await writer.release({ requestId })).changed).toBe(false)
    // A zero usage report is a zero charge, not a release and not an estimate.
    expect(
      await writer.capture({
        requestId: other,
        chargeMicroUsd: 0n,
        usage: { inputTokens: 0, outputTokens: 0 },
        aborted: true,
      }),
    ).toEqual({ changed: true, chargeMicroUsd: 0n })
    expect(
      await db.database.prisma.ledgerEntry.findUniqueOrThrow({ where: { requestId: other } }),
    ).toMatchObject({ status: 'CHARGED', chargeMicroUsd: 0n, aborted: true, outputTokens: 0 })
    expect(await readPass(pass.id)).toEqual({ heldMicroUsd: 0n, pendingMicroUsd: 0n })
    await writer.close()
  })

  test('a charge above the hold is capped at the hold and logged', async () => {
    const pass = await createPass()
    const [requestId] = (await placeHolds(pass, 1)) as [string]
    const logger = createTestLogger()
    const writer = createLedgerWriter({ database: db.database, logger })
    expect(await capture(writer, requestId, 1_500n)).toEqual({
      changed: true,
      chargeMicroUsd: 1_000n,
    })
    expect(await readPass(pass.id)).toEqual({ heldMicroUsd: 0n, pendingMicroUsd: 1_000n })
    expect(writer.stats().capped).toBe(1)
    expect(logger.warn).toHaveBeenCalledWith(
      { requestId, chargeMicroUsd: '1500', holdMicroUsd: '1000' },
      expect.stringContaining('charged the hold'),
    )
    await writer.close()
  })

  test('a failed batch is rolled back and retried until it commits; callers wait', async () => {
    const { prisma } = db.database
    await prisma.$executeRawUnsafe('CREATE TABLE billing_fail_switch (on_ boolean)')
    await prisma.$executeRawUnsafe(`
      CREATE FUNCTION billing_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM billing_fail_switch) THEN
          RAISE EXCEPTION 'injected failure';
        END IF;
        RETURN NEW;
      END $$`)
    // On the pass, so the entries' UPDATE has already run when the batch fails.
    await prisma.$executeRawUnsafe(
      'CREATE TRIGGER billing_fail BEFORE UPDATE ON "Pass" FOR EACH ROW EXECUTE FUNCTION billing_fail()',
    )
    try {
      const pass = await createPass()
      const requestIds = await placeHolds(pass, 3)
      await prisma.$executeRawUnsafe('INSERT INTO billing_fail_switch VALUES (true)')
      const logger = createTestLogger()
      // Waits for company, so the three captures are one batch.
      const writer = createLedgerWriter({
        database: db.database,
        logger,
        maxDelayMs: 20,
        retry: { initialMs: 5, maxMs: 20 },
      })
      let settled = false
      const captured = Promise.all(
        requestIds.map((requestId) => capture(writer, requestId, 100n)),
      ).finally(() => {
        settled = true
      })
      await vi.waitFor(() => expect(writer.stats().failedAttempts).toBeGreaterThanOrEqual(3))
      expect(settled).toBe(false)
      // Nothing of the failed attempts is visible.
      expect(await readPass(pass.id)).toEqual({ heldMicroUsd: 3_000n, pendingMicroUsd: 0n })
      expect(await prisma.ledgerEntry.count({ where: { requestId: { in: requestIds } } })).toBe(3)
      expect(
        await prisma.ledgerEntry.count({
          where: { requestId: { in: requestIds }, status: 'HELD' },
        }),
      ).toBe(3)
      expect(logger.error).toHaveBeenCalledWith(
        expect.objectContaining({ attempt: 1, entries: 3 }),
        expect.stringContaining('retrying'),
      )

      await prisma.$executeRawUnsafe('DELETE FROM billing_fail_switch')
      expect(await captured).toEqual(Array(3).fill({ changed: true, chargeMicroUsd: 100n }))
      expect(await readPass(pass.id)).toEqual({ heldMicroUsd: 0n, pendingMicroUsd: 300n })
      expect(writer.stats()).toMatchObject({ batches: 1, captured: 3 })
      await writer.close()
    } finally {
      await prisma.$executeRawUnsafe('DROP TRIGGER billing_fail ON "Pass"')
      await prisma.$executeRawUnsafe('DROP FUNCTION billing_fail()')
      await prisma.$executeRawUnsafe('DROP TABLE billing_fail_switch')
    }
  })

  test('an entry the database refuses for good fails alone; the rest of its batch commits', async () => {
    const { prisma } = db.database
    const pass = await createPass()
    const requestIds = await placeHolds(pass, 8)
    const poison = requestIds[5] as string
    await prisma.$executeRawUnsafe(`
      CREATE FUNCTION billing_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."requestId" = '${poison}' THEN
          RAISE EXCEPTION 'poisoned entry' USING ERRCODE = '22023';
        END IF;
        RETURN NEW;
      END $$`)
    await prisma.$executeRawUnsafe(
      'CREATE TRIGGER billing_poison BEFORE UPDATE ON "LedgerEntry" FOR EACH ROW EXECUTE FUNCTION billing_poison()',
    )
    try {
      const logger = createTestLogger()
      const writer = createLedgerWriter({ database: db.database, logger })
      const results = await Promise.allSettled(
        requestIds.map((requestId) => capture(writer, requestId, 10n)),
      )
      expect(results.map((result) => result.status)).toEqual([
        ...Array(5).fill('fulfilled'),
        'rejected',
        'fulfilled',
        'fulfilled',
      ])
      expect(results[5]).toMatchObject({
        reason: { name: 'ChargeNotRecordedError', code: 'INTERNAL', requestId: poison },
      })
      expect(await readPass(pass.id)).toEqual({ heldMicroUsd: 1_000n, pendingMicroUsd: 70n })
      expect(
        (await prisma.ledgerEntry.findUniqueOrThrow({ where: { requestId: poison } })).status,
      ).toBe('HELD')
      await writer.close()
    } finally {
      await prisma.$executeRawUnsafe('DROP TRIGGER billing_poison ON "LedgerEntry"')
      await prisma.$executeRawUnsafe('DROP FUNCTION billing_poison()')
    }
  })

  test('throughput: Σ charges = Δ pending and held returns to 0 (prints captures/s)', async () => {
    const passes = await Promise.all(Array.from({ length: 20 }, () => createPass()))
    const requestIds: string[] = []
    for (const pass of passes) requestIds.push(...(await insertHolds(pass, 100)))
    const before = await db.database.prisma.pass.aggregate({
      where: { id: { in: passes.map((pass) => pass.id) } },
      _sum: { pendingMicroUsd: true, heldMicroUsd: true },
    })
    expect(before._sum.heldMicroUsd).toBe(2_000_000n)
    const writer = createLedgerWriter({ database: db.database, logger: createTestLogger() })
    const charges = requestIds.map((_, index) => BigInt((index * 37) % 1_000))
    const started = performance.now()
    await Promise.all(
      requestIds.map((requestId, index) => capture(writer, requestId, charges[index] as bigint)),
    )
    const elapsedMs = performance.now() - started
    const after = await db.database.prisma.pass.aggregate({
      where: { id: { in: passes.map((pass) => pass.id) } },
      _sum: { pendingMicroUsd: true, heldMicroUsd: true },
    })
    const sum = charges.reduce((total, charge) => total + charge, 0n)
    expect((after._sum.pendingMicroUsd ?? 0n) - (before._sum.pendingMicroUsd ?? 0n)).toBe(sum)
    expect(after._sum.heldMicroUsd).toBe(0n)
    const { batches } = writer.stats()
    console.info(
      `[ledger writer] ${kind}: ${requestIds.length} captures over 20 passes in ${elapsedMs.toFixed(0)} ms ` +
        `(${Math.round((requestIds.length / elapsedMs) * 1000)} captures/s) in ${batches} transactions`,
    )
    await writer.close()

    // The same work one transaction per capture, for comparison.
    const single = await createPass()
    const singles = await insertHolds(single, 100)
    const unbatched = createLedgerWriter({
      database: db.database,
      maxBatch: 1,
      logger: createTestLogger(),
    })
    const singleStarted = performance.now()
    await Promise.all(singles.map((requestId) => capture(unbatched, requestId, 1n)))
    const singleMs = performance.now() - singleStarted
    console.info(
      `[ledger writer] ${kind}: batch of 1: ${singles.length} captures in ${singleMs.toFixed(0)} ms ` +
        `(${Math.round((singles.length / singleMs) * 1000)} captures/s)`,
    )
    await unbatched.close()
  })

  if (kind === 'postgres')
    test('two instances finishing requests on the same passes do not deadlock', async () => {
      if (!db.url) throw new Error('PostgreSQL test database has no URL')
      const passes = await Promise.all(Array.from({ length: 10 }, () => createPass()))
      const requestIds: string[] = []
      for (const pass of passes) requestIds.push(...(await insertHolds(pass, 60)))
      // Each instance gets every other entry, in an order that touches the passes at random,
      // in small batches: many overlapping transactions over the same pass rows.
      let seed = 7
      const shuffled = [...requestIds].sort(() => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
        return seed % 3 === 0 ? -1 : 1
      })
      const instances = await Promise.all(
        [0, 1].map(() =>
          createDatabase({ kind: 'postgres', url: db.url as string, pool: { max: 3 } }),
        ),
      )
      try {
        const writers = instances.map((database) =>
          createLedgerWriter({ database, maxBatch: 16, maxDelayMs: 0, logger: createTestLogger() }),
        )
        await Promise.all(
          shuffled.map((requestId, index) =>
            capture(writers[index % 2] as LedgerWriter, requestId, 10n),
          ),
        )
        for (const writer of writers) {
          expect(writer.stats().failedAttempts).toBe(0)
          await writer.close()
        }
        const totals = await db.database.prisma.pass.aggregate({
          where: { id: { in: passes.map((pass) => pass.id) } },
          _sum: { heldMicroUsd: true, pendingMicroUsd: true },
        })
        expect(totals._sum).toEqual({ heldMicroUsd: 0n, pendingMicroUsd: 6_000n })
      } finally {
        await Promise.all(instances.map((database) => database.close()))
      }
    })

  test('flush writes now; close waits for what is queued and refuses new work', async () => {
    const pass = await createPass()
    const [a, b] = (await placeHolds(pass, 2)) as [string, string]
    const writer = createLedgerWriter({
      database: db.database,
      maxDelayMs: 60_000,
      logger: createTestLogger(),
    })
    const pending = capture(writer, a, 1n)
    await writer.flush()
    await expect(pending).resolves.toEqual({ changed: true, chargeMicroUsd: 1n })
    const queued = capture(writer, b, 2n)
    await writer.close()
    await expect(queued).resolves.toEqual({ changed: true, chargeMicroUsd: 2n })
    await expect(capture(writer, b, 2n)).rejects.toMatchObject({
      name: 'LedgerWriterClosedError',
      code: 'SERVICE_UNAVAILABLE',
    })
  })

  test('refuses malformed captures up front, before they can fail a batch', async () => {
    const writer = createLedgerWriter({ database: db.database, logger: createTestLogger() })
    await expect(
      writer.capture({
        requestId: 'x',
        chargeMicroUsd: -1n,
        usage: { inputTokens: 2 ** 31, outputTokens: 1.5 },
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [
        { path: 'chargeMicroUsd', message: 'expected a non-negative bigint of micro-USD' },
        {
          path: 'usage.inputTokens',
          message: 'expected an integer from 0 to 2147483647, got 2147483648',
        },
        {
          path: 'usage.outputTokens',
          message: 'expected an integer from 0 to 2147483647, got 1.5',
        },
      ],
    })
    await writer.close()
  })
})
