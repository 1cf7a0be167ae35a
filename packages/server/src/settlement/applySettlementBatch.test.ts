import type { Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { addWrittenBatch } from '../../test/settlementFixture.js'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { applySettlementBatch } from './applySettlementBatch.js'

const contract = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const owner = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const txHash = `0x${'ab'.repeat(32)}` as Hex

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  let nextTokenId = 100n
  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(() => db?.dispose())

  const writtenBatch = () =>
    addWrittenBatch({
      database: db.database,
      contract,
      owner,
      tokenIds: [nextTokenId++, nextTokenId++],
    })

  async function snapshot(batchId: string, passIds: string[]) {
    const { prisma } = db.database
    return {
      batch: await prisma.settlementBatch.findUniqueOrThrow({
        where: { id: batchId },
        include: { items: { orderBy: { passId: 'asc' } } },
      }),
      passes: await prisma.pass.findMany({
        where: { id: { in: passIds } },
        orderBy: { id: 'asc' },
        omit: { updatedAt: true },
      }),
      entries: await prisma.ledgerEntry.findMany({
        where: { settlementBatchId: batchId },
        orderBy: { requestId: 'asc' },
      }),
    }
  }

  test('applies once: a shortfall becomes debt and suspends; the same receipt again changes nothing', async () => {
    const { batch, rich, poor, richId, poorId } = await writtenBatch()
    const events = [
      { tokenId: rich, requestedMicroUsd: 5_000n, deductedMicroUsd: 5_000n },
      { tokenId: poor, requestedMicroUsd: 9_000n, deductedMicroUsd: 4_000n },
    ]
    const now = new Date('2030-01-02T03:04:05Z')
    const parameters = {
      database: db.database,
      batchId: batch.id,
      txHash,
      blockNumber: 77n,
      events,
      now,
    }
    const first = await applySettlementBatch(parameters)
    expect(first).toMatchObject({
      applied: true,
      deductedMicroUsd: 9_000n,
      shortfallMicroUsd: 5_000n,
      shortfalls: 1,
    })

    const after = await snapshot(batch.id, [richId, poorId])
    expect(after.batch).toMatchObject({
      status: 'CONFIRMED',
      txHash,
      blockNumber: 77n,
      deductedMicroUsd: 9_000n,
      confirmedAt: now,
    })
    expect(after.entries.every((entry) => entry.settledAt?.getTime() === now.getTime())).toBe(true)
    const byId = new Map(after.passes.map((pass) => [pass.id, pass]))
    expect(byId.get(richId)).toMatchObject({
      pendingMicroUsd: 0n,
      debtMicroUsd: 0n,
      suspendedAt: null,
    })
    // Debt: 1_000 − 1_000 collected + 5_000 short; the credit mirror is gone.
    expect(byId.get(poorId)).toMatchObject({
      pendingMicroUsd: 0n,
      debtMicroUsd: 5_000n,
      creditMicroUsd: 0n,
      suspendedAt: now,
    })

    const again = await applySettlementBatch({ ...parameters, now: new Date() })
    expect(again).toMatchObject({ applied: false, deductedMicroUsd: 9_000n, shortfalls: 1 })
    expect(await snapshot(batch.id, [richId, poorId])).toEqual(after)
  })

  test('concurrent applies of one receipt: exactly one changes anything', async () => {
    const { batch, rich, poor, richId, poorId } = await writtenBatch()
    const events = [
      { tokenId: rich, requestedMicroUsd: 5_000n, deductedMicroUsd: 5_000n },
      { tokenId: poor, requestedMicroUsd: 9_000n, deductedMicroUsd: 9_000n },
    ]
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        applySettlementBatch({
          database: db.database,
          batchId: batch.id,
          txHash,
          blockNumber: 5n,
          events,
          now: new Date(),
        }),
      ),
    )
    expect(results.filter((result) => result.applied)).toHaveLength(1)
    const { passes } = await snapshot(batch.id, [richId, poorId])
    expect(
      passes.map((pass) => [pass.pendingMicroUsd, pass.debtMicroUsd, pass.suspendedAt]),
    ).toEqual([
      [0n, 0n, null],
      [0n, 0n, null],
    ])
  })

  test('events that do not match the items are refused and change nothing', async () => {
    const { batch, rich, poor, richId, poorId } = await writtenBatch()
    const before = await snapshot(batch.id, [richId, poorId])
    const apply = (
      events: { tokenId: bigint; requestedMicroUsd: bigint; deductedMicroUsd: bigint }[],
    ) =>
      applySettlementBatch({
        database: db.database,
        batchId: batch.id,
        txHash,
        blockNumber: 5n,
        events,
        now: new Date(),
      })
    await expect(
      apply([
        { tokenId: rich, requestedMicroUsd: 5_000n, deductedMicroUsd: 5_000n },
        { tokenId: poor, requestedMicroUsd: 9_001n, deductedMicroUsd: 9_000n },
      ]),
    ).rejects.toMatchObject({ name: 'SettlementMismatchError', batchId: batch.id })
    await expect(
      apply([{ tokenId: rich, requestedMicroUsd: 5_000n, deductedMicroUsd: 5_000n }]),
    ).rejects.toMatchObject({ name: 'SettlementMismatchError' })
    expect(await snapshot(batch.id, [richId, poorId])).toEqual(before)
  })
})
