import type { Address } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  addCharges,
  createSettlementFixture,
  type SettlementFixture,
} from '../../test/settlementFixture.js'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { runSettlement } from './runSettlement.js'
import type { SettlementLogger, SettlementProgressEvent } from './types.js'

const silent: SettlementLogger = { info() {}, warn() {}, error() {} }
const hour = 3_600_000
const passCount = 500

let fixture: SettlementFixture
let owners: Address[]
let tokenIds: bigint[]
let minted: `0x${string}`

// 500 passes over four wallets, each funded with $1 + i × $0.001 through `deposit`, minted once
// for the file; each database kind starts from a snapshot of that chain.
beforeAll(async () => {
  fixture = await createSettlementFixture()
  const { holders, withoutPass } = fixture.devChain.accounts
  owners = [...holders.map((holder) => holder.address), withoutPass.address]
  const started = performance.now()
  tokenIds = await fixture.mintPasses(
    Array.from({ length: passCount }, (_, i) => 1_000_000n + BigInt(i) * 1_000n),
    owners,
  )
  console.info(
    `[settlement] minted and funded ${passCount} passes in ${Math.round(performance.now() - started)} ms`,
  )
  minted = await fixture.snapshot()
}, 120_000)
afterAll(() => fixture?.stop())

/** Pass i's charges: two old ones (due) and, for every tenth pass, a recent one (not due). */
function chargesOf(index: number) {
  return { old: [1_000n + BigInt(index), 2_500n], recent: index % 10 === 0 ? [700n] : [] }
}

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  let passIds: Map<bigint, string>

  beforeAll(async () => {
    await fixture.revert(minted)
    minted = await fixture.snapshot()
    db = await createTestDatabase(kind)
    const byOwner = (owner: Address) =>
      tokenIds.filter((_, index) => owners[index % owners.length] === owner)
    passIds = new Map()
    const now = Date.now()
    for (const owner of owners) {
      const mine = byOwner(owner)
      const indexOf = (tokenId: bigint) => tokenIds.indexOf(tokenId)
      for (const [when, capturedAt] of [
        ['old', new Date(now - hour)],
        ['recent', new Date(now)],
      ] as const) {
        const ids = await addCharges({
          database: db.database,
          chainId: fixture.devChain.chainId,
          contract: fixture.devChain.contracts.accessPass,
          owner,
          passes: mine.map((tokenId) => ({
            tokenId,
            charges: chargesOf(indexOf(tokenId))[when],
          })),
          capturedAt,
        })
        for (const [tokenId, id] of ids) passIds.set(tokenId, id)
      }
    }
  }, 60_000)
  afterAll(() => db?.dispose())

  test('a dry run reports the plan and writes and sends nothing', async () => {
    const events: SettlementProgressEvent[] = []
    const blockBefore = await fixture.publicClient.getBlockNumber({ cacheTime: 0 })
    const result = await runSettlement({
      database: db.database,
      chain: fixture.settlementChain(),
      delayMs: 60_000,
      dryRun: true,
      onProgress: (event) => events.push(event),
      logger: silent,
    })
    const due = tokenIds.reduce((sum, _, index) => {
      const { old } = chargesOf(index)
      return sum + old.reduce((a, b) => a + b, 0n)
    }, 0n)
    expect(result).toMatchObject({
      dryRun: true,
      totalRequestedMicroUsd: due,
      totalDeductedMicroUsd: 0n,
      recovered: 0,
      unresolved: 0,
    })
    expect(result.batches).toHaveLength(10)
    expect(result.batches.every((batch) => batch.status === 'PLANNED' && batch.passes === 50)).toBe(
      true,
    )
    expect(result.passes).toHaveLength(passCount)
    expect(result.passes[7]).toMatchObject({
      tokenId: tokenIds[7],
      chargesMicroUsd: 1_007n + 2_500n,
      debtMicroUsd: 0n,
      requestedMicroUsd: 3_507n,
    })
    expect(events).toEqual([
      { type: 'planned', passes: passCount, totalMicroUsd: due, batches: 10 },
    ])
    const { prisma } = db.database
    expect(await prisma.settlementBatch.count()).toBe(0)
    expect(await prisma.ledgerEntry.count({ where: { settlementBatchId: { not: null } } })).toBe(0)
    expect(await fixture.publicClient.getBlockNumber({ cacheTime: 0 })).toBe(blockBefore)
  })

  test(`${passCount} passes settle in at most 50 transactions, each credit down by exactly its charges`, {
    timeout: 60_000,
  }, async () => {
    const before = new Map<bigint, bigint>()
    for (const owner of owners)
      for (const [tokenId, credit] of await fixture.creditsOf(owner)) before.set(tokenId, credit)
    const events: SettlementProgressEvent[] = []
    const started = performance.now()
    const result = await runSettlement({
      database: db.database,
      chain: fixture.settlementChain(),
      delayMs: 60_000,
      onProgress: (event) => events.push(event),
      logger: silent,
    })
    const elapsedMs = performance.now() - started
    const transactions = await fixture.settleTransactions()
    console.info(
      `[settlement] ${kind}: ${passCount} passes in ${result.batches.length} transactions, ${Math.round(elapsedMs)} ms`,
    )

    expect(result.batches.length).toBeLessThanOrEqual(50)
    expect(transactions).toHaveLength(result.batches.length)
    expect(result.batches.every((batch) => batch.status === 'CONFIRMED')).toBe(true)
    expect(result.batches.map((batch) => batch.txHash).sort()).toEqual([...transactions].sort())
    expect(result.totalDeductedMicroUsd).toBe(result.totalRequestedMicroUsd)
    expect(result.passes).toHaveLength(passCount)
    expect(events.filter((event) => event.type === 'batch-confirmed')).toHaveLength(
      result.batches.length,
    )

    // On-chain: every pass lost exactly its old charges; the recent ones are not due yet.
    for (const owner of owners)
      for (const [tokenId, credit] of await fixture.creditsOf(owner)) {
        // The dev chain's own passes 1–3 are not part of this test.
        if (!tokenIds.includes(tokenId)) continue
        const { old } = chargesOf(tokenIds.indexOf(tokenId))
        expect(credit).toBe((before.get(tokenId) ?? 0n) - old.reduce((a, b) => a + b, 0n))
      }

    // Database: pending is what was not due; due entries settled with their batch.
    const { prisma } = db.database
    const passes = await prisma.pass.findMany({
      select: {
        id: true,
        tokenId: true,
        pendingMicroUsd: true,
        debtMicroUsd: true,
        suspendedAt: true,
      },
    })
    for (const pass of passes) {
      const { recent } = chargesOf(tokenIds.indexOf(BigInt(pass.tokenId.toFixed())))
      expect(pass.pendingMicroUsd).toBe(recent.reduce((a, b) => a + b, 0n))
      expect(pass.debtMicroUsd).toBe(0n)
      expect(pass.suspendedAt).toBeNull()
    }
    expect(
      await prisma.ledgerEntry.count({
        where: {
          OR: [{ settledAt: null }, { settlementBatchId: null }],
          capturedAt: { lt: new Date(Date.now() - 60_000) },
        },
      }),
    ).toBe(0)
    expect(
      await prisma.ledgerEntry.count({ where: { settledAt: null, settlementBatchId: null } }),
    ).toBe(passCount / 10)
    const batches = await prisma.settlementBatch.findMany({ include: { items: true } })
    expect(batches).toHaveLength(result.batches.length)
    for (const batch of batches) {
      expect(batch).toMatchObject({ status: 'CONFIRMED', attempts: 1, lastError: null })
      expect(batch.txHash).toMatch(/^0x[0-9a-f]{64}$/)
      expect(batch.blockNumber).not.toBeNull()
      expect(batch.deductedMicroUsd).toBe(batch.totalMicroUsd)
      expect(batch.items.reduce((sum, item) => sum + item.amountMicroUsd, 0n)).toBe(
        batch.totalMicroUsd,
      )
      for (const item of batch.items)
        expect(item).toMatchObject({ deductedMicroUsd: item.amountMicroUsd, shortfallMicroUsd: 0n })
    }
    expect(passIds.size).toBe(passCount)
  })

  test('a second run finds nothing due and sends nothing', async () => {
    const transactions = (await fixture.settleTransactions()).length
    const result = await runSettlement({
      database: db.database,
      chain: fixture.settlementChain(),
      delayMs: 60_000,
      logger: silent,
    })
    expect(result).toMatchObject({ batches: [], passes: [], totalRequestedMicroUsd: 0n })
    expect(await fixture.settleTransactions()).toHaveLength(transactions)
  })

  test('a batch whose gas estimate is above half the block gas limit is split, and stays split', async () => {
    const fresh = await fixture.mintPasses(Array(60).fill(1_000_000n), owners)
    await addCharges({
      database: db.database,
      chainId: fixture.devChain.chainId,
      contract: fixture.devChain.contracts.accessPass,
      owner: owners[0] as Address,
      passes: fresh.map((tokenId) => ({ tokenId, charges: [4_000n] })),
      capturedAt: new Date(Date.now() - hour),
    })
    const { gasLimit } = await fixture.publicClient.getBlock()
    // Room for roughly a dozen passes in half a block.
    await fixture.testClient.setBlockGasLimit({ gasLimit: 400_000n })
    // The worker reads the limit from the latest block.
    await fixture.testClient.mine({ blocks: 1 })
    try {
      const result = await runSettlement({
        database: db.database,
        chain: fixture.settlementChain(),
        delayMs: 60_000,
        logger: silent,
      })
      // 50 passes need more than a block (the estimate fails), 25 ~290k: split until a batch
      // fits in 200k, and later batches stay that small.
      const sizes = result.batches.map((batch) => batch.passes)
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(60)
      expect(sizes.every((size) => size <= 15)).toBe(true)
      for (const batch of result.batches) {
        expect(batch.status).toBe('CONFIRMED')
        const receipt = await fixture.publicClient.getTransactionReceipt({
          hash: batch.txHash as `0x${string}`,
        })
        expect(receipt.gasUsed <= 200_000n).toBe(true)
      }
      for (const tokenId of fresh) expect(await fixture.creditOf(tokenId)).toBe(996_000n)
    } finally {
      await fixture.testClient.setBlockGasLimit({ gasLimit })
    }
  })
})
