import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { listSettlementBatches } from './listSettlementBatches.js'

const contract = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512'
const id = (n: number) => `0x${n.toString(16).padStart(64, '0')}`

describe.each(databaseKinds)('listSettlementBatches on the %s database', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(kind)
    const pass = await db.database.prisma.pass.create({
      data: { chainId: 31337, contractAddress: contract, tokenId: 7 },
    })
    // Three batches, one second apart, the newest FAILED; two share a timestamp with the next.
    for (const [n, status, at] of [
      [1, 'CONFIRMED', 1_000],
      [2, 'CONFIRMED', 2_000],
      [3, 'FAILED', 2_000],
    ] as const)
      await db.database.prisma.settlementBatch.create({
        data: {
          id: id(n),
          chainId: 31337,
          contractAddress: contract,
          status,
          totalMicroUsd: BigInt(n * 100),
          passCount: 1,
          createdAt: new Date(at),
          items: { create: { passId: pass.id, amountMicroUsd: BigInt(n * 100) } },
        },
      })
  })
  afterAll(() => db?.dispose())

  test('newest first, with items and token ids, one page at a time', async () => {
    const first = await listSettlementBatches({ database: db.database, limit: 2 })
    expect(first.items.map((batch) => batch.batchId)).toEqual([id(3), id(2)])
    expect(first.items[0]).toMatchObject({
      status: 'FAILED',
      totalMicroUsd: 300n,
      items: [{ tokenId: 7n, amountMicroUsd: 300n, deductedMicroUsd: null }],
    })
    const second = await listSettlementBatches({
      database: db.database,
      limit: 2,
      cursor: first.nextCursor,
    })
    expect(second.items.map((batch) => batch.batchId)).toEqual([id(1)])
    expect(second.nextCursor).toBeNull()
  })

  test('by status, and by id (any case)', async () => {
    const failed = await listSettlementBatches({ database: db.database, status: 'FAILED' })
    expect(failed.items.map((batch) => batch.batchId)).toEqual([id(3)])
    const one = await listSettlementBatches({
      database: db.database,
      batchId: id(2).toUpperCase().replace('0X', '0x'),
    })
    expect(one.items.map((batch) => batch.batchId)).toEqual([id(2)])
  })

  test('a bad cursor or limit is INVALID_INPUT', async () => {
    await expect(
      listSettlementBatches({ database: db.database, cursor: 'nope' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(listSettlementBatches({ database: db.database, limit: 0 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
  })
})
