import { accessPassAbi, devAccounts } from '@accesspoint/contracts'
import { type Hex, keccak256 } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createRpcProxy, type RpcProxy } from '../../test/createRpcProxy.js'
import {
  addCharges,
  createSettlementFixture,
  type SettlementFixture,
} from '../../test/settlementFixture.js'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { sleep } from './internal.js'
import { type RunSettlementParameters, runSettlement } from './runSettlement.js'
import type { SettlementLogger, SettlementProgressEvent } from './types.js'

const silent: SettlementLogger = { info() {}, warn() {}, error() {} }
const credit = 1_000_000n
const charges = [10_000n, 5_000n]
const charged = 15_000n

let fixture: SettlementFixture
let proxy: RpcProxy
beforeAll(async () => {
  fixture = await createSettlementFixture()
  proxy = await createRpcProxy(fixture.devChain.rpcUrl)
})
afterAll(async () => {
  await proxy?.close()
  await fixture?.stop()
})

// A crash is simulated where it hurts most: at a progress event the run aborts, exactly as a
// killed process would stop (whatever was committed stays, nothing after it happens).
class Crash extends Error {}

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(() => db?.dispose())

  /** Three funded passes with $0.015 of old charges each. */
  async function passesWithCharges(count = 3) {
    const tokenIds = await fixture.mintPasses(Array(count).fill(credit))
    const passIds = await addCharges({
      database: db.database,
      chainId: fixture.devChain.chainId,
      contract: fixture.devChain.contracts.accessPass,
      owner: fixture.devChain.accounts.holders[0].address,
      passes: tokenIds.map((tokenId) => ({ tokenId, charges })),
      capturedAt: new Date(Date.now() - 3_600_000),
    })
    return { tokenIds, passIds: [...passIds.values()] }
  }

  function run(overrides: Partial<RunSettlementParameters> = {}) {
    return runSettlement({
      database: db.database,
      chain: fixture.settlementChain(),
      delayMs: 60_000,
      batch: { minPasses: 1, maxPasses: 50 },
      resilience: { retry: { initialDelayMs: 10, maxDelayMs: 50 } },
      logger: silent,
      ...overrides,
    })
  }

  /** Runs until the event `at`, then stops as if the process died there. */
  async function crashAt(at: SettlementProgressEvent['type'], overrides = {}) {
    const controller = new AbortController()
    let batchId: Hex | undefined
    const error = await run({
      signal: controller.signal,
      onProgress(event) {
        if ('batchId' in event) batchId = event.batchId
        if (event.type === at) controller.abort(new Crash(at))
      },
      ...overrides,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Crash)
    return batchId as Hex
  }

  async function expectSettledOnce(tokenIds: bigint[], passIds: string[], batchId: Hex) {
    for (const tokenId of tokenIds) expect(await fixture.creditOf(tokenId)).toBe(credit - charged)
    const { prisma } = db.database
    const batch = await prisma.settlementBatch.findUniqueOrThrow({ where: { id: batchId } })
    expect(batch).toMatchObject({ status: 'CONFIRMED', deductedMicroUsd: charged * 3n })
    // No second batch for these passes, every entry settled by this one.
    expect(await prisma.settlementItem.count({ where: { passId: { in: passIds } } })).toBe(3)
    const entries = await prisma.ledgerEntry.findMany({ where: { passId: { in: passIds } } })
    expect(entries.every((e) => e.settlementBatchId === batchId && e.settledAt !== null)).toBe(true)
    const passes = await prisma.pass.findMany({ where: { id: { in: passIds } } })
    expect(passes.every((p) => p.pendingMicroUsd === 0n && p.debtMicroUsd === 0n)).toBe(true)
    return batch
  }

  test('killed between broadcast and confirmation: the next run applies it and sends nothing', async () => {
    const { tokenIds, passIds } = await passesWithCharges()
    const batchId = await crashAt('batch-sent')
    const { prisma } = db.database
    const left = await prisma.settlementBatch.findUniqueOrThrow({ where: { id: batchId } })
    expect(left).toMatchObject({ status: 'SUBMITTED', attempts: 1 })
    // The chain deducted (anvil mined it at once); the database does not know yet.
    expect(await fixture.creditOf(tokenIds[0] as bigint)).toBe(credit - charged)
    expect(
      await prisma.ledgerEntry.count({ where: { passId: { in: passIds }, settledAt: null } }),
    ).toBe(6)
    const transactions = (await fixture.settleTransactions()).length

    const events: SettlementProgressEvent[] = []
    const result = await run({ onProgress: (event) => events.push(event) })
    expect(result).toMatchObject({ recovered: 1, unresolved: 0 })
    expect(result.batches).toEqual([
      expect.objectContaining({
        batchId,
        status: 'CONFIRMED',
        txHash: left.txHash,
        recovered: true,
      }),
    ])
    expect(events).toContainEqual({ type: 'recovered', batchId, outcome: 'applied' })
    expect(await fixture.settleTransactions()).toHaveLength(transactions)
    const batch = await expectSettledOnce(tokenIds, passIds, batchId)
    expect(batch.attempts).toBe(1)
  })

  test('killed after writing the batch, before sending: the next run sends it once, same id', async () => {
    const { tokenIds, passIds } = await passesWithCharges()
    const batchId = await crashAt('batch-written')
    const { prisma } = db.database
    expect(
      await prisma.settlementBatch.findUniqueOrThrow({ where: { id: batchId } }),
    ).toMatchObject({ status: 'PENDING', txHash: null, attempts: 0 })
    expect(await fixture.creditOf(tokenIds[0] as bigint)).toBe(credit)
    const transactions = (await fixture.settleTransactions()).length

    const events: SettlementProgressEvent[] = []
    const result = await run({ onProgress: (event) => events.push(event) })
    expect(events).toContainEqual({ type: 'recovered', batchId, outcome: 'resent' })
    expect(result.batches.map((batch) => batch.batchId)).toEqual([batchId])
    expect(await fixture.settleTransactions()).toHaveLength(transactions + 1)
    await expectSettledOnce(tokenIds, passIds, batchId)
  })

  test('killed after signing, before broadcasting: the stored hash is unknown, so it is sent again', async () => {
    const { tokenIds, passIds } = await passesWithCharges()
    const batchId = await crashAt('batch-signed')
    const { prisma } = db.database
    const left = await prisma.settlementBatch.findUniqueOrThrow({ where: { id: batchId } })
    expect(left).toMatchObject({ status: 'SUBMITTED', attempts: 1 })
    expect(await fixture.creditOf(tokenIds[0] as bigint)).toBe(credit)

    const events: SettlementProgressEvent[] = []
    await run({ onProgress: (event) => events.push(event) })
    expect(events).toContainEqual({ type: 'recovered', batchId, outcome: 'resent' })
    const batch = await expectSettledOnce(tokenIds, passIds, batchId)
    expect(batch.attempts).toBe(2)
  })

  test('a batch recorded as never sent whose transaction did land: applied from its Settled events', async () => {
    const { tokenIds, passIds } = await passesWithCharges()
    const batchId = await crashAt('batch-sent')
    // As if the SUBMITTED write had been lost: the database knows no transaction.
    await db.database.prisma.settlementBatch.update({
      where: { id: batchId },
      data: { status: 'PENDING', txHash: null, txNonce: null },
    })
    const transactions = (await fixture.settleTransactions()).length

    const events: SettlementProgressEvent[] = []
    await run({ onProgress: (event) => events.push(event) })
    // The contract said the id was used; nothing was sent again.
    expect(events).toContainEqual({ type: 'recovered', batchId, outcome: 'applied' })
    expect(await fixture.settleTransactions()).toHaveLength(transactions)
    const batch = await expectSettledOnce(tokenIds, passIds, batchId)
    expect(batch.txHash).toMatch(/^0x[0-9a-f]{64}$/)
  })

  test('a dropped transaction is re-examined, then sent again with the same batch id', async () => {
    const { tokenIds, passIds } = await passesWithCharges()
    // The node "accepts" the first broadcast and loses it.
    proxy.intercept('eth_sendRawTransaction', (params) => {
      proxy.intercept('eth_sendRawTransaction', undefined)
      return keccak256(params[0] as Hex)
    })
    const events: SettlementProgressEvent[] = []
    const result = await run({
      chain: fixture.settlementChain({ rpcUrl: proxy.url }),
      timeouts: { droppedMs: 300 },
      onProgress: (event) => events.push(event),
    })
    const [summary] = result.batches
    expect(result.batches).toHaveLength(1)
    const batchId = summary?.batchId as Hex
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'batch-retry',
        batchId,
        error: expect.stringMatching(/dropped/),
      }),
    )
    expect(events.filter((event) => event.type === 'batch-sent')).toHaveLength(2)
    const batch = await expectSettledOnce(tokenIds, passIds, batchId)
    expect(batch.attempts).toBe(2)
  })

  test('a batch that keeps failing stays in flight until the chain proves its id unusable, then FAILS and its charges settle in a new batch', async () => {
    const { tokenIds, passIds } = await passesWithCharges()
    // Every broadcast is lost.
    proxy.intercept('eth_sendRawTransaction', (params) => keccak256(params[0] as Hex))
    const chain = fixture.settlementChain({ rpcUrl: proxy.url })
    const first = await run({ chain, maxAttempts: 2, timeouts: { droppedMs: 200 } })
    proxy.intercept('eth_sendRawTransaction', undefined)
    const [stuck] = first.batches
    const batchId = stuck?.batchId as Hex
    // Its last transaction could still be mined by a node that kept it: not FAILED, not released.
    expect(first).toMatchObject({
      unresolved: 1,
      batches: [expect.objectContaining({ status: 'SUBMITTED' })],
    })
    const { prisma } = db.database
    // Two attempts, then one more that would have taken the open nonce had it been broadcast.
    expect(
      await prisma.settlementBatch.findUniqueOrThrow({ where: { id: batchId } }),
    ).toMatchObject({
      status: 'SUBMITTED',
      attempts: 3,
      lastError: expect.stringMatching(/dropped/),
    })
    expect(await prisma.ledgerEntry.count({ where: { settlementBatchId: batchId } })).toBe(6)

    // The key's nonce is used by another transaction: no transaction of that batch can land now.
    await fixture.deposit(tokenIds[0] as bigint, 1n)
    const events: SettlementProgressEvent[] = []
    const second = await run({ chain, maxAttempts: 2, onProgress: (event) => events.push(event) })
    expect(events).toContainEqual({ type: 'recovered', batchId, outcome: 'failed' })
    expect(events).toContainEqual(expect.objectContaining({ type: 'batch-failed', batchId }))
    expect(
      await prisma.settlementBatch.findUniqueOrThrow({ where: { id: batchId } }),
    ).toMatchObject({ status: 'FAILED', lastError: expect.stringMatching(/dropped/) })
    // Its charges went back and were settled by a new batch, once.
    const replacement = second.batches.find((batch) => batch.batchId !== batchId)
    expect(replacement).toMatchObject({ status: 'CONFIRMED', passes: 3 })
    expect(await prisma.ledgerEntry.count({ where: { settlementBatchId: batchId } })).toBe(0)
    expect(await fixture.creditOf(tokenIds[0] as bigint)).toBe(credit + 1n - charged)
    expect(await fixture.creditOf(tokenIds[1] as bigint)).toBe(credit - charged)
    const entries = await prisma.ledgerEntry.findMany({ where: { passId: { in: passIds } } })
    expect(
      entries.every((e) => e.settlementBatchId === replacement?.batchId && e.settledAt !== null),
    ).toBe(true)
    expect(
      await fixture.publicClient.readContract({
        address: fixture.devChain.contracts.accessPass,
        abi: accessPassAbi,
        functionName: 'isBatchSettled',
        args: [batchId],
      }),
    ).toBe(false)
  })

  test('a batch left in flight with its nonce still open is sent again by the next run, never lost', async () => {
    const { tokenIds, passIds } = await passesWithCharges()
    proxy.intercept('eth_sendRawTransaction', (params) => keccak256(params[0] as Hex))
    const chain = fixture.settlementChain({ rpcUrl: proxy.url })
    const first = await run({ chain, maxAttempts: 1, timeouts: { droppedMs: 200 } })
    proxy.intercept('eth_sendRawTransaction', undefined)
    const batchId = first.batches[0]?.batchId as Hex
    expect(first.batches).toEqual([expect.objectContaining({ batchId, status: 'SUBMITTED' })])

    const events: SettlementProgressEvent[] = []
    await run({ chain, maxAttempts: 1, onProgress: (event) => events.push(event) })
    expect(events).toContainEqual({ type: 'recovered', batchId, outcome: 'resent' })
    await expectSettledOnce(tokenIds, passIds, batchId)
  })

  test('charges count as settled only after the configured confirmations', async () => {
    const { tokenIds, passIds } = await passesWithCharges()
    let batchId: Hex | undefined
    const running = run({
      confirmations: 3,
      onProgress(event) {
        if (event.type === 'batch-sent') batchId = event.batchId
      },
    })
    const { prisma } = db.database
    const status = async () =>
      (await prisma.settlementBatch.findUniqueOrThrow({ where: { id: batchId as string } })).status
    while (!batchId) await sleep(20)
    await sleep(300)
    expect(await status()).toBe('SUBMITTED')
    await fixture.testClient.mine({ blocks: 1 })
    await sleep(300)
    // Two confirmations so far.
    expect(await status()).toBe('SUBMITTED')
    expect(
      await prisma.ledgerEntry.count({ where: { passId: { in: passIds }, settledAt: null } }),
    ).toBe(6)
    await fixture.testClient.mine({ blocks: 1 })
    const result = await running
    expect(result.batches).toEqual([expect.objectContaining({ batchId, status: 'CONFIRMED' })])
    await expectSettledOnce(tokenIds, passIds, batchId as Hex)
  })

  test('a key without BILLING_ROLE stops the run before anything is written or marked failed', async () => {
    const { tokenIds, passIds } = await passesWithCharges()
    const stranger = fixture.settlementChain({ account: devAccounts[5] })
    const error = await run({ chain: stranger }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: 'SettlementRejectedError',
      code: 'INTERNAL',
      shortMessage: expect.stringContaining('lacks BILLING_ROLE'),
    })
    const { prisma } = db.database
    expect(
      await prisma.ledgerEntry.count({
        where: { passId: { in: passIds }, settlementBatchId: { not: null } },
      }),
    ).toBe(0)

    // A batch written by a good run and resumed with the wrong key stays PENDING, untouched.
    const batchId = await crashAt('batch-written')
    await expect(run({ chain: stranger })).rejects.toMatchObject({
      name: 'SettlementRejectedError',
    })
    expect(
      await prisma.settlementBatch.findUniqueOrThrow({ where: { id: batchId } }),
    ).toMatchObject({ status: 'PENDING', attempts: 0 })
    await run()
    await expectSettledOnce(tokenIds, passIds, batchId)
  })
})
