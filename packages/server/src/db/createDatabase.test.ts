import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  createTestDatabase,
  databaseKinds,
  migrationsDir,
  type TestDatabase,
} from '../../test/testDatabase.js'
import { DatabaseLockedError } from '../errors/DatabaseLockedError.js'
import { createDatabase } from './createDatabase.js'
import { applyMigrations } from './migrations/applyMigrations.js'

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(() => db.dispose())

  test('stores micro-USD amounts beyond 2^53 exactly as bigint', async () => {
    const { prisma } = db.database
    const big = 2n ** 62n + 7n
    await prisma.wallet.create({ data: { address: '0x0000000000000000000000000000000000000001' } })
    const price = await prisma.modelPrice.create({
      data: {
        model: 'm',
        provider: 'dev',
        version: 1,
        inputMicroUsdPerMillionTokens: 1n,
        cachedInputMicroUsdPerMillionTokens: 1n,
        outputMicroUsdPerMillionTokens: 1n,
      },
    })
    await prisma.ledgerEntry.create({
      data: {
        requestId: 'req-big',
        walletAddress: '0x0000000000000000000000000000000000000001',
        model: 'm',
        priceId: price.id,
        holdMicroUsd: big,
        holdExpiresAt: new Date(Date.now() + 60_000),
      },
    })
    const entry = await prisma.ledgerEntry.findUniqueOrThrow({ where: { requestId: 'req-big' } })
    expect(entry.holdMicroUsd).toBe(big)
    expect(entry.status).toBe('HELD')
  })

  test('a request id is recorded once: a second ledger row for it is rejected', async () => {
    const { prisma } = db.database
    const price = await prisma.modelPrice.findFirstOrThrow()
    const row = {
      requestId: 'req-once',
      walletAddress: '0x0000000000000000000000000000000000000001',
      model: 'm',
      priceId: price.id,
      holdMicroUsd: 10n,
      holdExpiresAt: new Date(Date.now() + 60_000),
    }
    await prisma.ledgerEntry.create({ data: row })
    await expect(prisma.ledgerEntry.create({ data: row })).rejects.toMatchObject({ code: 'P2002' })
    expect(await prisma.ledgerEntry.count({ where: { requestId: 'req-once' } })).toBe(1)
  })

  test('keeps uint256 token ids exactly and one pass per (chain, contract, token)', async () => {
    const { prisma } = db.database
    const tokenId = (2n ** 256n - 1n).toString()
    const pass = {
      chainId: 31337,
      contractAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      tokenId,
    }
    const created = await prisma.pass.create({ data: pass })
    expect(created.tokenId.toFixed()).toBe(tokenId)
    await expect(prisma.pass.create({ data: pass })).rejects.toMatchObject({ code: 'P2002' })
  })
})

describe('embedded database on disk', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ap-pglite-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  test('persists across restarts and refuses a second process on the same folder', async () => {
    const dataDir = join(dir, 'pglite')
    const first = await createDatabase({ kind: 'embedded', dataDir })
    await applyMigrations({ database: first, migrationsDir })
    await first.prisma.wallet.create({
      data: { address: '0x00000000000000000000000000000000000000aa' },
    })

    await expect(createDatabase({ kind: 'embedded', dataDir })).rejects.toBeInstanceOf(
      DatabaseLockedError,
    )
    await first.close()

    const second = await createDatabase({ kind: 'embedded', dataDir })
    expect(await second.prisma.wallet.count()).toBe(1)
    await second.close()
  })
})
