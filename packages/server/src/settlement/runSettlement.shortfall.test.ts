import type { Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  addCharges,
  createSettlementFixture,
  type SettlementFixture,
} from '../../test/settlementFixture.js'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { createLedgerWriter } from '../billing/createLedgerWriter.js'
import { getBalance } from '../billing/getBalance.js'
import { placeHold } from '../billing/placeHold.js'
import { type RunSettlementParameters, runSettlement } from './runSettlement.js'
import type { SettlementLogger, SettlementProgressEvent } from './types.js'

const silent: SettlementLogger = { info() {}, warn() {}, error() {} }

let fixture: SettlementFixture
beforeAll(async () => {
  fixture = await createSettlementFixture()
})
afterAll(() => fixture?.stop())

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(() => db?.dispose())

  const owner = () => fixture.devChain.accounts.holders[1].address

  function run(overrides: Partial<RunSettlementParameters> = {}) {
    return runSettlement({
      database: db.database,
      chain: fixture.settlementChain(),
      delayMs: 60_000,
      batch: { minPasses: 1, maxPasses: 50 },
      logger: silent,
      ...overrides,
    })
  }

  /** A pass with $0.01 on-chain (mirrored) and $0.05 of old charges. */
  async function shortPass() {
    const [tokenId] = (await fixture.mintPasses([10_000n], [owner()])) as [bigint]
    const ids = await addCharges({
      database: db.database,
      chainId: fixture.devChain.chainId,
      contract: fixture.devChain.contracts.accessPass,
      owner: owner(),
      passes: [{ tokenId, charges: [30_000n, 20_000n] }],
      capturedAt: new Date(Date.now() - 3_600_000),
    })
    const passId = ids.get(tokenId) as string
    await db.database.prisma.pass.update({
      where: { id: passId },
      data: { creditMicroUsd: 10_000n },
    })
    return { tokenId, passId }
  }

  test('a short pass: deducted what it had, suspended with its debt; a deposit lifts it; the next settlement collects the debt', async () => {
    const { tokenId, passId } = await shortPass()
    const { prisma } = db.database
    const price = await prisma.modelPrice.findFirstOrThrow({ where: { model: 'dev-mini' } })
    const events: SettlementProgressEvent[] = []
    const first = await run({ onProgress: (event) => events.push(event) })

    expect(first.passes).toEqual([
      expect.objectContaining({
        passId,
        tokenId,
        chargesMicroUsd: 50_000n,
        debtMicroUsd: 0n,
        requestedMicroUsd: 50_000n,
        deductedMicroUsd: 10_000n,
        shortfallMicroUsd: 40_000n,
      }),
    ])
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'batch-confirmed',
        deductedMicroUsd: 10_000n,
        shortfalls: 1,
        shortfallMicroUsd: 40_000n,
      }),
    )
    expect(await fixture.creditOf(tokenId)).toBe(0n)
    const suspended = await prisma.pass.findUniqueOrThrow({ where: { id: passId } })
    expect(suspended).toMatchObject({
      creditMicroUsd: 0n,
      pendingMicroUsd: 0n,
      debtMicroUsd: 40_000n,
      suspendedAt: expect.any(Date),
    })
    expect(await prisma.settlementItem.findFirstOrThrow({ where: { passId } })).toMatchObject({
      amountMicroUsd: 50_000n,
      deductedMicroUsd: 10_000n,
      shortfallMicroUsd: 40_000n,
    })
    // The charges are settled (the chain took what there was); what is owed is the pass's debt.
    expect(await prisma.ledgerEntry.count({ where: { passId, settledAt: null } })).toBe(0)

    // Requests fail with PAYMENT_FAILED, saying how much to deposit.
    const pass = { id: passId, tokenId }
    expect(await getBalance({ database: db.database, passId, creditMicroUsd: 0n })).toMatchObject({
      suspended: true,
      debtMicroUsd: 40_000n,
      amountDueMicroUsd: 40_000n,
      availableMicroUsd: 0n,
    })
    const refused = await placeHold({
      database: db.database,
      requestId: 'req-suspended',
      walletAddress: owner().toLowerCase(),
      pass: { ...pass, creditMicroUsd: 0n },
      model: price.model,
      priceId: price.id,
      holdMicroUsd: 1_000n,
      holdTtlMs: 60_000,
    }).catch((e: unknown) => e)
    expect(refused).toMatchObject({
      code: 'PAYMENT_FAILED',
      status: 402,
      amountDueMicroUsd: 40_000n,
      shortMessage: `Pass #${tokenId} is suspended: a settlement fell short by $0.04. Deposit at least $0.04 to settle it, plus $0.001 for this request ($0.041 in all).`,
    })

    // A $0.05 deposit on-chain: the next request is admitted, which lifts the suspension.
    await fixture.deposit(tokenId, 50_000n)
    const credit = await fixture.creditOf(tokenId)
    expect(credit).toBe(50_000n)
    expect(
      await getBalance({ database: db.database, passId, creditMicroUsd: credit }),
    ).toMatchObject({ suspended: false, amountDueMicroUsd: 0n, availableMicroUsd: 10_000n })
    const requestId = `req-${crypto.randomUUID()}`
    await expect(
      placeHold({
        database: db.database,
        requestId,
        walletAddress: owner().toLowerCase(),
        pass: { ...pass, creditMicroUsd: credit },
        model: price.model,
        priceId: price.id,
        holdMicroUsd: 10_000n,
        holdTtlMs: 60_000,
      }),
    ).resolves.toMatchObject({ balance: { availableMicroUsd: 0n } })
    expect(await prisma.pass.findUniqueOrThrow({ where: { id: passId } })).toMatchObject({
      suspendedAt: null,
      debtMicroUsd: 40_000n,
    })
    const ledger = createLedgerWriter({ database: db.database, logger: silent })
    await ledger.capture({
      requestId,
      chargeMicroUsd: 6_000n,
      usage: { inputTokens: 3, outputTokens: 5 },
    })
    await ledger.close()

    // The next settlement collects the debt with the new charge.
    const second = await run({ delayMs: 0, now: () => new Date(Date.now() + 1_000) })
    expect(second.passes).toEqual([
      expect.objectContaining({
        passId,
        chargesMicroUsd: 6_000n,
        debtMicroUsd: 40_000n,
        requestedMicroUsd: 46_000n,
        deductedMicroUsd: 46_000n,
        shortfallMicroUsd: 0n,
      }),
    ])
    expect(await fixture.creditOf(tokenId)).toBe(4_000n)
    expect(await prisma.pass.findUniqueOrThrow({ where: { id: passId } })).toMatchObject({
      creditMicroUsd: 4_000n,
      pendingMicroUsd: 0n,
      heldMicroUsd: 0n,
      debtMicroUsd: 0n,
      suspendedAt: null,
    })
  })

  test('debt that a batch in flight collects is not asked for again', async () => {
    const { tokenId, passId } = await shortPass()
    await run()
    const { prisma } = db.database
    expect((await prisma.pass.findUniqueOrThrow({ where: { id: passId } })).debtMicroUsd).toBe(
      40_000n,
    )
    await fixture.deposit(tokenId, 100_000n)

    // A batch asking for the debt is written, then the worker dies.
    const controller = new AbortController()
    let batchId: Hex | undefined
    await run({
      signal: controller.signal,
      onProgress(event) {
        if (event.type === 'batch-written') {
          batchId = event.batchId
          controller.abort(new Error('killed'))
        }
      },
    }).catch(() => {})
    expect(
      await prisma.settlementItem.findFirstOrThrow({ where: { batchId: batchId as string } }),
    ).toMatchObject({ passId, chargesMicroUsd: 0n, debtMicroUsd: 40_000n, amountMicroUsd: 40_000n })
    const plan = await run({ dryRun: true })
    expect(plan.passes.filter((pass) => pass.passId === passId)).toEqual([])

    const resumed = await run()
    expect(resumed.batches).toEqual([expect.objectContaining({ batchId, status: 'CONFIRMED' })])
    expect(await fixture.creditOf(tokenId)).toBe(100_000n - 40_000n)
    expect(await prisma.pass.findUniqueOrThrow({ where: { id: passId } })).toMatchObject({
      debtMicroUsd: 0n,
      suspendedAt: null,
    })
    expect(await prisma.settlementItem.count({ where: { passId } })).toBe(2)
  })
})
