import { toHex } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { addCharges, addWrittenBatch } from '../../test/settlementFixture.js'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { writeSettlementBatch } from './writeSettlementBatch.js'

const contract = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const owner = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

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

  test('the written batch: charges + debt per pass, entries claimed', async () => {
    const { batch, rich, poor } = await writtenBatch()
    expect(batch.items).toEqual([
      expect.objectContaining({
        tokenId: rich,
        chargesMicroUsd: 5_000n,
        debtMicroUsd: 0n,
        amountMicroUsd: 5_000n,
      }),
      expect.objectContaining({
        tokenId: poor,
        chargesMicroUsd: 8_000n,
        debtMicroUsd: 1_000n,
        amountMicroUsd: 9_000n,
      }),
    ])
    expect(batch.totalMicroUsd).toBe(14_000n)
    expect(
      await db.database.prisma.ledgerEntry.count({ where: { settlementBatchId: batch.id } }),
    ).toBe(3)
  })

  test('two concurrent writers never claim an entry or a debt twice', async () => {
    const tokenId = nextTokenId++
    const ids = await addCharges({
      database: db.database,
      chainId: 31337,
      contract,
      owner,
      passes: [{ tokenId, charges: [1_000n, 2_000n, 3_000n] }],
      capturedAt: new Date(Date.now() - 60_000),
    })
    const passId = ids.get(tokenId) as string
    await db.database.prisma.pass.update({ where: { id: passId }, data: { debtMicroUsd: 500n } })
    const write = () =>
      writeSettlementBatch({
        database: db.database,
        batchId: toHex(crypto.getRandomValues(new Uint8Array(32))),
        chainId: 31337,
        contractAddress: contract.toLowerCase(),
        passIds: [passId],
        cutoff: new Date(),
        fromBlock: 1n,
        now: new Date(),
      })
    const written = (await Promise.all([write(), write(), write()])).filter(
      (batch) => batch !== null,
    )
    const items = written.flatMap((batch) => batch.items)
    expect(items.reduce((sum, item) => sum + item.chargesMicroUsd, 0n)).toBe(6_000n)
    expect(items.reduce((sum, item) => sum + item.debtMicroUsd, 0n)).toBe(500n)
    expect(
      await db.database.prisma.ledgerEntry.count({ where: { passId, settlementBatchId: null } }),
    ).toBe(0)
    // Nothing left to claim: no batch is written.
    expect(await write()).toBeNull()
    expect(await db.database.prisma.settlementBatch.count({ where: { items: { none: {} } } })).toBe(
      0,
    )
  })
})
