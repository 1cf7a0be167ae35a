import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import {
  createSeededTestDatabase,
  databaseKinds,
  type TestDatabase,
} from '../../test/testDatabase.js'
import { demoWalletAddresses } from '../db/seed/defaultModelPrices.js'
import { createLedgerWriter } from './createLedgerWriter.js'
import { placeHold } from './placeHold.js'
import { recoverOpenHolds } from './recoverOpenHolds.js'
import type { BillingLogger, ModelPriceRecord } from './types.js'

const wallet = demoWalletAddresses[0]
const start = Date.UTC(2026, 5, 1, 12)

function createTestLogger() {
  return {
    info: vi.fn<BillingLogger['info']>(),
    warn: vi.fn<BillingLogger['warn']>(),
    error: vi.fn<BillingLogger['error']>(),
  }
}

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  let price: ModelPriceRecord
  let nextTokenId = 1n

  beforeAll(async () => {
    const seeded = await createSeededTestDatabase(kind)
    db = seeded.db
    price = seeded.price
  })
  afterAll(() => db.dispose())

  async function createPass() {
    const { id } = await db.database.prisma.pass.create({
      data: {
        chainId: 31337,
        contractAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
        tokenId: (nextTokenId++).toString(),
        creditMicroUsd: 1_000_000n,
      },
    })
    return { id, creditMicroUsd: 1_000_000n }
  }

  function hold(pass: { id: string; creditMicroUsd: bigint }, requestId: string, ttlMs: number) {
    return placeHold({
      database: db.database,
      requestId,
      walletAddress: wallet,
      pass,
      model: price.model,
      priceId: price.id,
      holdMicroUsd: 1_000n,
      holdTtlMs: ttlMs,
      now: start,
    })
  }

  test('releases expired holds without a charge and fixes the passes; live holds stay', async () => {
    const [a, b] = [await createPass(), await createPass()]
    await hold(a, 'exp-a1', 1_000)
    await hold(a, 'exp-a2', 2_000)
    await hold(b, 'exp-b1', 1_000)
    await hold(b, 'live-b2', 600_000)
    const logger = createTestLogger()
    const result = await recoverOpenHolds({
      database: db.database,
      now: new Date(start + 5_000),
      logger,
    })
    expect(result).toEqual({ released: 3, releasedMicroUsd: 3_000n })
    const passes = await db.database.prisma.pass.findMany({
      where: { id: { in: [a.id, b.id] } },
      select: { id: true, heldMicroUsd: true, pendingMicroUsd: true },
    })
    expect(passes.find((p) => p.id === a.id)).toMatchObject({
      heldMicroUsd: 0n,
      pendingMicroUsd: 0n,
    })
    expect(passes.find((p) => p.id === b.id)).toMatchObject({
      heldMicroUsd: 1_000n,
      pendingMicroUsd: 0n,
    })
    expect(
      await db.database.prisma.ledgerEntry.findUniqueOrThrow({ where: { requestId: 'exp-a1' } }),
    ).toMatchObject({
      status: 'RELEASED',
      chargeMicroUsd: null,
      finishReason: 'hold_expired',
      capturedAt: new Date(start + 5_000),
    })
    expect(
      (await db.database.prisma.ledgerEntry.findUniqueOrThrow({ where: { requestId: 'live-b2' } }))
        .status,
    ).toBe('HELD')
    expect(logger.warn).toHaveBeenCalledWith(
      { released: 3, requestIds: ['exp-a1', 'exp-a2', 'exp-b1'] },
      'billing: released expired holds without a charge',
    )

    // Nothing left to do; and a late capture of a released hold charges nothing.
    expect(
      await recoverOpenHolds({ database: db.database, now: new Date(start + 5_000), logger }),
    ).toEqual({ released: 0, releasedMicroUsd: 0n })
    const writerLogger = createTestLogger()
    const writer = createLedgerWriter({ database: db.database, logger: writerLogger })
    expect(
      await writer.capture({
        requestId: 'exp-a1',
        chargeMicroUsd: 10n,
        usage: { inputTokens: 1, outputTokens: 1 },
      }),
    ).toEqual({ changed: false, chargeMicroUsd: null })
    await writer.close()
    await vi.waitFor(() =>
      expect(writerLogger.warn).toHaveBeenCalledWith(
        { requestId: 'exp-a1' },
        expect.stringContaining('after the hold was released'),
      ),
    )
  })

  test('works through any number of expired holds, a batch at a time', async () => {
    const pass = await createPass()
    for (let i = 0; i < 7; i++) await hold(pass, `many-${i}`, 1)
    expect(
      await recoverOpenHolds({
        database: db.database,
        now: new Date(start + 10),
        batchSize: 3,
        logger: createTestLogger(),
      }),
    ).toEqual({ released: 7, releasedMicroUsd: 7_000n })
    const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })
    expect(row.heldMicroUsd).toBe(0n)
  })
})
