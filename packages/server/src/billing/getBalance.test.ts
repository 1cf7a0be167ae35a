import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { getBalance } from './getBalance.js'

const contract = '0x5fbdb2315678afecb367f032d93f642f64180aa3'

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  let passId: string

  beforeAll(async () => {
    db = await createTestDatabase(kind)
    ;({ id: passId } = await db.database.prisma.pass.create({
      data: {
        chainId: 31337,
        contractAddress: contract,
        tokenId: '12',
        creditMicroUsd: 10_000_000n,
        pendingMicroUsd: 2_500_000n,
        heldMicroUsd: 500_000n,
      },
    }))
  })
  afterAll(() => db.dispose())

  test('credit − pending − held, by row id or by on-chain key', async () => {
    const expected = {
      creditMicroUsd: 10_000_000n,
      pendingMicroUsd: 2_500_000n,
      heldMicroUsd: 500_000n,
      availableMicroUsd: 7_000_000n,
      debtMicroUsd: 0n,
      amountDueMicroUsd: 0n,
      suspended: false,
    }
    expect(await getBalance({ database: db.database, passId })).toEqual(expected)
    expect(
      await getBalance({
        database: db.database,
        pass: {
          chainId: 31337,
          contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
          tokenId: 12n,
        },
      }),
    ).toEqual(expected)
  })

  test('uses the credit the caller just read, without storing it', async () => {
    expect(
      await getBalance({ database: db.database, passId, creditMicroUsd: 2_000_000n }),
    ).toMatchObject({ creditMicroUsd: 2_000_000n, availableMicroUsd: 0n })
    const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: passId } })
    expect(row.creditMicroUsd).toBe(10_000_000n)
  })

  test('debt is subtracted; the pass is suspended only while the credit does not cover it', async () => {
    const { id } = await db.database.prisma.pass.create({
      data: {
        chainId: 31337,
        contractAddress: contract,
        tokenId: '13',
        creditMicroUsd: 1_000_000n,
        pendingMicroUsd: 200_000n,
        debtMicroUsd: 1_230_000n,
        suspendedAt: new Date(),
      },
    })
    expect(await getBalance({ database: db.database, passId: id })).toEqual({
      creditMicroUsd: 1_000_000n,
      pendingMicroUsd: 200_000n,
      heldMicroUsd: 0n,
      availableMicroUsd: 0n,
      debtMicroUsd: 1_230_000n,
      amountDueMicroUsd: 430_000n,
      suspended: true,
    })
    // A deposit seen on-chain but by no hold yet: the debt is covered, whatever `suspendedAt` says.
    expect(
      await getBalance({ database: db.database, passId: id, creditMicroUsd: 2_000_000n }),
    ).toMatchObject({
      availableMicroUsd: 570_000n,
      amountDueMicroUsd: 0n,
      suspended: false,
    })
  })

  test('an unknown pass is NOT_FOUND', async () => {
    await expect(
      getBalance({ database: db.database, passId: '01900000-0000-7000-8000-000000000000' }),
    ).rejects.toMatchObject({ name: 'PassNotFoundError', code: 'NOT_FOUND' })
  })
})
