import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  createSeededTestDatabase,
  createUnreachableDatabase,
  databaseKinds,
  type TestDatabase,
} from '../../test/testDatabase.js'
import { createDatabase, type Database } from '../db/createDatabase.js'
import { demoWalletAddresses } from '../db/seed/defaultModelPrices.js'
import { type PlaceHoldParameters, placeHold } from './placeHold.js'
import type { ModelPriceRecord } from './types.js'

const wallet = demoWalletAddresses[0]

// Under contention: many admissions racing for one pass. The conditional UPDATE's row lock must
// let exactly as many through as the credit covers, on one connection pool or several
// (instances). These tests print their timings; placeHold.ts quotes them.
const calls = 200
const fits = 50

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  let price: ModelPriceRecord
  let nextTokenId = 1n
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

  async function createPass(data: { creditMicroUsd: bigint; suspended?: boolean; debt?: bigint }) {
    const tokenId = nextTokenId++
    const pass = await db.database.prisma.pass.create({
      data: {
        chainId: 31337,
        contractAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
        tokenId: tokenId.toString(),
        ownerAddress: wallet,
        creditMicroUsd: data.creditMicroUsd,
        debtMicroUsd: data.debt ?? 0n,
        suspendedAt: data.suspended ? new Date() : null,
      },
    })
    return { id: pass.id, tokenId, creditMicroUsd: data.creditMicroUsd }
  }

  function hold(
    pass: { id: string; creditMicroUsd: bigint },
    overrides: Partial<PlaceHoldParameters> = {},
  ) {
    return placeHold({
      database: db.database,
      requestId: `req-${crypto.randomUUID()}`,
      walletAddress: wallet,
      pass,
      model: price.model,
      priceId: price.id,
      holdMicroUsd: 1_000n,
      holdTtlMs: 60_000,
      stream: true,
      ...overrides,
    })
  }

  test('admits, reserves on the pass and writes the HELD entry', async () => {
    const pass = await createPass({ creditMicroUsd: 5_000n })
    const now = Date.UTC(2026, 0, 2, 3, 4, 5, 678)
    const result = await hold(pass, { requestId: 'req-admit', holdMicroUsd: 1_200n, now })
    expect(result).toEqual({
      requestId: 'req-admit',
      holdMicroUsd: 1_200n,
      holdExpiresAt: new Date(now + 60_000),
      balance: {
        creditMicroUsd: 5_000n,
        pendingMicroUsd: 0n,
        heldMicroUsd: 1_200n,
        availableMicroUsd: 3_800n,
      },
    })
    expect(
      await db.database.prisma.pass.findUniqueOrThrow({
        where: { id: pass.id },
        select: { heldMicroUsd: true, creditMicroUsd: true, pendingMicroUsd: true },
      }),
    ).toEqual({ heldMicroUsd: 1_200n, creditMicroUsd: 5_000n, pendingMicroUsd: 0n })
    expect(
      await db.database.prisma.ledgerEntry.findUniqueOrThrow({ where: { requestId: 'req-admit' } }),
    ).toMatchObject({
      walletAddress: wallet,
      passId: pass.id,
      model: 'dev-mini',
      priceId: price.id,
      status: 'HELD',
      holdMicroUsd: 1_200n,
      chargeMicroUsd: null,
      stream: true,
      holdExpiresAt: new Date(now + 60_000),
    })
  })

  test('checks against the credit the caller read, and stores it', async () => {
    const pass = await createPass({ creditMicroUsd: 1_000n })
    // A deposit the caller has seen on-chain but our mirror has not.
    await hold({ id: pass.id, creditMicroUsd: 3_000n }, { holdMicroUsd: 2_500n })
    const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })
    expect(row).toMatchObject({ creditMicroUsd: 3_000n, heldMicroUsd: 2_500n })
  })

  test('refuses with the numbers when the hold does not fit, and reserves nothing', async () => {
    const pass = await createPass({ creditMicroUsd: 10_000n })
    await db.database.prisma.pass.update({
      where: { id: pass.id },
      data: { pendingMicroUsd: 4_000n, heldMicroUsd: 2_000n },
    })
    // available = 10_000 − 4_000 − 2_000 = 4_000 < 12_300
    const error = await hold(pass, { requestId: 'req-poor', holdMicroUsd: 12_300n }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({
      name: 'InsufficientBalanceError',
      code: 'INSUFFICIENT_BALANCE',
      status: 402,
      neededMicroUsd: 12_300n,
      availableMicroUsd: 4_000n,
      shortMessage: `This request needs $0.0123, available $0.004; add at least $0.0083 to pass #${pass.tokenId}, or ask for fewer tokens.`,
    })
    expect(
      await db.database.prisma.ledgerEntry.findUnique({ where: { requestId: 'req-poor' } }),
    ).toBeNull()
    const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })
    expect(row.heldMicroUsd).toBe(2_000n)
    // Exactly the available amount fits.
    await expect(hold(pass, { holdMicroUsd: 4_000n })).resolves.toMatchObject({
      balance: { availableMicroUsd: 0n },
    })
  })

  test('a suspended pass is refused with PAYMENT_FAILED, naming what is still due', async () => {
    const pass = await createPass({ creditMicroUsd: 1_000_000n, suspended: true, debt: 1_230_000n })
    const error = await hold(pass, { holdMicroUsd: 10_000n }).catch((e: unknown) => e)
    // credit − pending − held = $1.00 covers $1.00 of the $1.23 debt.
    expect(error).toMatchObject({
      name: 'PaymentFailedError',
      code: 'PAYMENT_FAILED',
      status: 402,
      debtMicroUsd: 1_230_000n,
      amountDueMicroUsd: 230_000n,
      shortMessage: `Pass #${pass.tokenId} is suspended: a settlement fell short by $1.23 and $0.23 of it is not covered yet. Deposit at least $0.23 to settle it, plus $0.01 for this request ($0.24 in all).`,
    })
    const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })
    expect(row).toMatchObject({ heldMicroUsd: 0n, suspendedAt: expect.any(Date) })
  })

  test('debt counts against the available balance', async () => {
    const pass = await createPass({ creditMicroUsd: 10_000n, debt: 3_000n })
    await db.database.prisma.pass.update({
      where: { id: pass.id },
      data: { pendingMicroUsd: 1_000n },
    })
    // available = 10_000 − 1_000 − 0 − 3_000 = 6_000
    await expect(hold(pass, { holdMicroUsd: 6_001n })).rejects.toMatchObject({
      code: 'INSUFFICIENT_BALANCE',
      availableMicroUsd: 6_000n,
    })
    await expect(hold(pass, { holdMicroUsd: 6_000n })).resolves.toMatchObject({
      balance: { creditMicroUsd: 10_000n, pendingMicroUsd: 1_000n, heldMicroUsd: 6_000n },
    })
    // The debt is covered, just not the next request: that is a balance problem, not a suspension.
    await expect(hold(pass, { holdMicroUsd: 1n })).rejects.toMatchObject({
      code: 'INSUFFICIENT_BALANCE',
      availableMicroUsd: 0n,
    })
  })

  test('a deposit that covers the debt lifts the suspension with the next hold', async () => {
    const pass = await createPass({ creditMicroUsd: 0n, suspended: true, debt: 40_000n })
    await expect(hold(pass, { holdMicroUsd: 10_000n })).rejects.toMatchObject({
      code: 'PAYMENT_FAILED',
      amountDueMicroUsd: 40_000n,
    })
    // Deposited $0.03: the debt is still not covered, $0.01 is due.
    await expect(
      hold({ id: pass.id, creditMicroUsd: 30_000n }, { holdMicroUsd: 10_000n }),
    ).rejects.toMatchObject({ code: 'PAYMENT_FAILED', amountDueMicroUsd: 10_000n })
    // $0.045: the debt is covered but $0.005 is left, not enough for this request.
    await expect(
      hold({ id: pass.id, creditMicroUsd: 45_000n }, { holdMicroUsd: 10_000n }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE', availableMicroUsd: 5_000n })
    expect(
      (await db.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })).suspendedAt,
    ).not.toBeNull()
    // $0.05: debt and hold both fit; admitted and un-suspended in the same statement.
    await expect(
      hold({ id: pass.id, creditMicroUsd: 50_000n }, { holdMicroUsd: 10_000n }),
    ).resolves.toMatchObject({
      balance: { creditMicroUsd: 50_000n, heldMicroUsd: 10_000n, availableMicroUsd: 0n },
    })
    const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })
    // The debt stays until a settlement collects it.
    expect(row).toMatchObject({ suspendedAt: null, debtMicroUsd: 40_000n, heldMicroUsd: 10_000n })
  })

  test('a duplicate request id is a CONFLICT and holds nothing more', async () => {
    const pass = await createPass({ creditMicroUsd: 10_000n })
    await hold(pass, { requestId: 'req-twice', holdMicroUsd: 1_000n })
    const error = await hold(pass, { requestId: 'req-twice', holdMicroUsd: 1_000n }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({
      name: 'DuplicateRequestError',
      code: 'CONFLICT',
      status: 409,
      requestId: 'req-twice',
    })
    const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })
    expect(row.heldMicroUsd).toBe(1_000n)
    expect(await db.database.prisma.ledgerEntry.count({ where: { requestId: 'req-twice' } })).toBe(
      1,
    )
  })

  test('concurrent duplicates: exactly one hold', async () => {
    const pass = await createPass({ creditMicroUsd: 100_000n })
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => hold(pass, { requestId: 'req-racing', holdMicroUsd: 100n })),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(results.every((r) => r.status === 'fulfilled' || r.reason.code === 'CONFLICT')).toBe(
      true,
    )
    const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })
    expect(row.heldMicroUsd).toBe(100n)
  })

  test('refuses a negative hold or credit before it reaches the database', async () => {
    const pass = await createPass({ creditMicroUsd: 1_000n })
    await expect(
      hold({ id: pass.id, creditMicroUsd: -1n }, { holdMicroUsd: -500n, holdTtlMs: 0 }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [
        { path: 'holdMicroUsd', message: 'expected a non-negative bigint of micro-USD' },
        { path: 'pass.creditMicroUsd', message: 'expected a non-negative bigint of micro-USD' },
        { path: 'holdTtlMs', message: 'expected a positive integer of milliseconds' },
      ],
    })
    const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })
    expect(row.heldMicroUsd).toBe(0n)
  })

  test('an unknown pass is NOT_FOUND', async () => {
    await expect(
      hold({ id: '01900000-0000-7000-8000-000000000000', creditMicroUsd: 1_000n }),
    ).rejects.toMatchObject({ name: 'PassNotFoundError', code: 'NOT_FOUND' })
  })

  if (kind === 'postgres')
    test('an unreachable database refuses with SERVICE_UNAVAILABLE (fail closed)', async () => {
      const down = await createUnreachableDatabase()
      try {
        await expect(
          placeHold({
            database: down,
            requestId: 'req-down',
            walletAddress: wallet,
            pass: { id: '01900000-0000-7000-8000-000000000000', creditMicroUsd: 1_000n },
            model: 'dev-mini',
            priceId: price.id,
            holdMicroUsd: 1n,
            holdTtlMs: 60_000,
          }),
        ).rejects.toMatchObject({
          name: 'BillingUnavailableError',
          code: 'SERVICE_UNAVAILABLE',
          status: 503,
        })
      } finally {
        await down.close()
      }
    })

  describe('under contention', () => {
    async function openPool(max: number): Promise<Database> {
      if (!db.url) throw new Error('PostgreSQL test database has no URL')
      const database = await createDatabase({ kind: 'postgres', url: db.url, pool: { max } })
      extraPools.push(database)
      return database
    }

    /** Runs `holds` concurrently, spread round-robin over `databases`, watching the pass meanwhile. */
    async function race(
      label: string,
      databases: Database[],
      pass: { id: string; creditMicroUsd: bigint },
      holds: readonly bigint[],
    ) {
      let watching = true
      let maxHeld = 0n
      const watcher = (async () => {
        while (watching) {
          const row = await db.database.prisma.pass.findUniqueOrThrow({
            where: { id: pass.id },
            select: { heldMicroUsd: true, pendingMicroUsd: true },
          })
          if (row.heldMicroUsd > maxHeld) maxHeld = row.heldMicroUsd
          await new Promise((resolve) => setTimeout(resolve, 1))
        }
      })()
      const started = performance.now()
      const results = await Promise.allSettled(
        holds.map((holdMicroUsd, index) =>
          placeHold({
            database: databases[index % databases.length] as Database,
            requestId: `${label}-${index}`,
            walletAddress: wallet,
            pass,
            model: price.model,
            priceId: price.id,
            holdMicroUsd,
            holdTtlMs: 60_000,
          }),
        ),
      )
      const elapsedMs = performance.now() - started
      watching = false
      await watcher
      const admitted = results.filter((r) => r.status === 'fulfilled').length
      console.info(
        `[placeHold contention] ${kind} ${label}: ${holds.length} concurrent calls in ${elapsedMs.toFixed(0)} ms ` +
          `(${Math.round((holds.length / elapsedMs) * 1000)} calls/s), ${admitted} admitted`,
      )
      for (const result of results)
        if (result.status === 'rejected')
          expect(result.reason).toMatchObject({ code: 'INSUFFICIENT_BALANCE' })
      const row = await db.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })
      expect(maxHeld <= pass.creditMicroUsd).toBe(true)
      expect(row.heldMicroUsd <= pass.creditMicroUsd).toBe(true)
      const heldEntries = await db.database.prisma.ledgerEntry.aggregate({
        where: { passId: pass.id, status: 'HELD' },
        _sum: { holdMicroUsd: true },
        _count: true,
      })
      // The counter and the ledger agree: no hold without its entry, or the reverse.
      expect(heldEntries._sum.holdMicroUsd ?? 0n).toBe(row.heldMicroUsd)
      expect(heldEntries._count).toBe(admitted)
      return { results, admitted, held: row.heldMicroUsd }
    }

    test(`${calls} concurrent holds on a pass funded for ${fits}: exactly ${fits} admitted`, async () => {
      const pass = await createPass({ creditMicroUsd: 1_000n * BigInt(fits) })
      const { admitted, held } = await race(
        'one client',
        [db.database],
        pass,
        Array(calls).fill(1_000n),
      )
      expect(admitted).toBe(fits)
      expect(held).toBe(pass.creditMicroUsd)
    })

    test('holds of mixed sizes: every refused hold was larger than what was left', async () => {
      const pass = await createPass({ creditMicroUsd: 50_000n })
      const sizes = Array.from({ length: calls }, (_, i) => BigInt(100 + ((i * 7919) % 1_900)))
      const { results, held } = await race('mixed sizes', [db.database], pass, sizes)
      const left = pass.creditMicroUsd - held
      expect(left >= 0n).toBe(true)
      // Holds only ever shrank what was available, so a refusal means it did not fit even at the end.
      results.forEach((result, index) => {
        if (result.status === 'rejected') expect((sizes[index] as bigint) > left).toBe(true)
      })
    })

    if (kind === 'postgres') {
      test('one pool of 10 connections', async () => {
        const pass = await createPass({ creditMicroUsd: 1_000n * BigInt(fits) })
        const { admitted } = await race(
          'pool of 10',
          [await openPool(10)],
          pass,
          Array(calls).fill(1_000n),
        )
        expect(admitted).toBe(fits)
      })

      test('two instances (two separate pools) on the same database', async () => {
        const pass = await createPass({ creditMicroUsd: 1_000n * BigInt(fits) })
        const instances = [await openPool(5), await openPool(5)]
        const { admitted, held } = await race(
          'two pools of 5',
          instances,
          pass,
          Array(calls).fill(1_000n),
        )
        expect(admitted).toBe(fits)
        expect(held).toBe(pass.creditMicroUsd)
      })
    }
  })
})
