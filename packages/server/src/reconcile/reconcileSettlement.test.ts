import { randomUUID } from 'node:crypto'
import { accessPassAbi } from '@accesspoint/contracts'
import {
  type StartDevChainReturnType as DevChain,
  startDevChain,
} from '@accesspoint/contracts/devChain'
import {
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { waitForTransactionReceipt, writeContract } from 'viem/actions'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { seedDatabase } from '../db/seed/seedDatabase.js'
import { upsertPass } from '../passes/upsertPass.js'
import { reconcileSettlement } from './reconcileSettlement.js'

// These tests write settlement rows and send `settle` by hand, as the worker would, so they
// check reconciliation on its own: each plants one kind of discrepancy and expects exactly it.
describe.each(databaseKinds)('reconcileSettlement on the %s database', (kind) => {
  let chain: DevChain
  let db: TestDatabase
  let publicClient: PublicClient
  let passIds: Map<bigint, string>
  let priceId: string

  const billing = () =>
    createWalletClient({
      account: privateKeyToAccount(chain.accounts.billing.privateKey),
      chain: chain.chain,
      transport: http(chain.rpcUrl),
    })
  const reconcile = () =>
    reconcileSettlement({
      database: db.database,
      client: publicClient,
      chainId: chain.chainId,
      contract: chain.contracts.accessPass,
    })
  const settleOnChain = async (batchId: Hex, items: [bigint, bigint][]) => {
    const hash = await writeContract(billing(), {
      address: chain.contracts.accessPass,
      abi: accessPassAbi,
      functionName: 'settle',
      args: [batchId, items.map(([tokenId]) => tokenId), items.map(([, amount]) => amount)],
    })
    const receipt = await waitForTransactionReceipt(publicClient, { hash })
    expect(receipt.status).toBe('success')
    return receipt
  }
  const charge = async (tokenId: bigint, amount: bigint) => {
    const requestId = randomUUID()
    await db.database.prisma.ledgerEntry.create({
      data: {
        requestId,
        walletAddress: chain.passes[Number(tokenId) - 1]?.owner.toLowerCase() ?? '',
        passId: passIds.get(tokenId) ?? '',
        model: 'dev-mini',
        priceId,
        status: 'CHARGED',
        holdMicroUsd: amount,
        chargeMicroUsd: amount,
        holdExpiresAt: new Date(Date.now() + 60_000),
        capturedAt: new Date(),
      },
    })
    return requestId
  }
  /** What the worker does for one batch: record, send, confirm, mark the charges settled. */
  const settle = async (
    label: string,
    charges: [bigint, bigint][],
    { debt = new Map<bigint, bigint>() }: { debt?: Map<bigint, bigint> } = {},
  ) => {
    const batchId = keccak256(toHex(`${label}-${randomUUID()}`))
    const requestIds = await Promise.all(
      charges.map(([tokenId, amount]) => charge(tokenId, amount)),
    )
    const amounts = charges.map(
      ([tokenId, amount]) => [tokenId, amount + (debt.get(tokenId) ?? 0n)] as [bigint, bigint],
    )
    const receipt = await settleOnChain(batchId, amounts)
    let deductedTotal = 0n
    await db.database.prisma.settlementBatch.create({
      data: {
        id: batchId,
        chainId: chain.chainId,
        contractAddress: chain.contracts.accessPass.toLowerCase(),
        status: 'CONFIRMED',
        totalMicroUsd: amounts.reduce((sum, [, amount]) => sum + amount, 0n),
        passCount: amounts.length,
        txHash: receipt.transactionHash,
        blockNumber: receipt.blockNumber,
        confirmedAt: new Date(),
      },
    })
    const charged = new Map(charges)
    for (const [tokenId, amount] of amounts) {
      const credit = await publicClient.readContract({
        address: chain.contracts.accessPass,
        abi: accessPassAbi,
        functionName: 'creditOf',
        args: [tokenId],
        blockNumber: receipt.blockNumber - 1n,
      })
      const shortfall = amount > credit ? amount - credit : 0n
      const deducted = amount - shortfall
      await db.database.prisma.settlementItem.create({
        data: {
          batchId,
          passId: passIds.get(tokenId) ?? '',
          amountMicroUsd: amount,
          chargesMicroUsd: charged.get(tokenId) ?? 0n,
          debtMicroUsd: debt.get(tokenId) ?? 0n,
          deductedMicroUsd: deducted,
          shortfallMicroUsd: shortfall,
        },
      })
      deductedTotal += deducted
      // As applySettlementBatch does: the debt collected is paid, the shortfall is owed.
      const passId = passIds.get(tokenId) ?? ''
      const { debtMicroUsd } = await db.database.prisma.pass.findUniqueOrThrow({
        where: { id: passId },
      })
      await db.database.prisma.pass.update({
        where: { id: passId },
        data: { debtMicroUsd: debtMicroUsd - (debt.get(tokenId) ?? 0n) + shortfall },
      })
    }
    await db.database.prisma.settlementBatch.update({
      where: { id: batchId },
      data: { deductedMicroUsd: deductedTotal },
    })
    await db.database.prisma.ledgerEntry.updateMany({
      where: { requestId: { in: requestIds } },
      data: { settlementBatchId: batchId, settledAt: new Date() },
    })
    return { batchId, requestIds }
  }

  beforeAll(async () => {
    chain = await startDevChain({ port: 0 })
    db = await createTestDatabase(kind)
    publicClient = createPublicClient({
      chain: chain.chain,
      transport: http(chain.rpcUrl),
      pollingInterval: 50,
    })
    await seedDatabase({ database: db.database, demo: true })
    priceId = (await db.database.prisma.modelPrice.findFirstOrThrow({ select: { id: true } })).id
    passIds = new Map()
    for (const pass of chain.passes) {
      const { id } = await upsertPass({
        database: db.database,
        pass: {
          chainId: chain.chainId,
          contract: chain.contracts.accessPass,
          tokenId: pass.tokenId,
          owner: pass.owner,
          creditMicroUsd: pass.creditMicroUsd,
        },
      })
      passIds.set(pass.tokenId, id)
    }
  })
  afterAll(async () => {
    await db?.dispose()
    await chain?.stop()
  })

  test('a clean ledger, with a shortfall and its debt carried into the next batch, reports none', async () => {
    expect((await reconcile()).discrepancies).toEqual([])
    await settle('first', [
      [1n, 1_250_000n],
      [2n, 300_000n],
      // Pass 3 holds $0.01: it gives that and falls short by the rest.
      [3n, 50_000n],
    ])
    await settle('second', [[1n, 10n]])
    // Pass 3's $0.04 debt is asked again with its new charges (and falls short again).
    await settle('third', [[3n, 5n]], { debt: new Map([[3n, 40_000n]]) })
    const result = await reconcile()
    expect(result.discrepancies).toEqual([])
    expect(result.checked).toMatchObject({
      fromBlock: expect.any(BigInt),
      batches: 3,
      batchesOnChain: 3,
      passes: 3,
    })
    // The deployment block was found: the setup's 3 deposits, then Settled per item and one
    // BatchSettled per batch.
    expect(result.checked.logs).toBe(3 + (3 + 1) + (1 + 1) + (1 + 1))
  })

  test('an edited deducted amount is reported with both numbers', async () => {
    const { batchId } = await settle('edited', [[2n, 100_000n]])
    await db.database.prisma.settlementItem.update({
      where: { batchId_passId: { batchId, passId: passIds.get(2n) ?? '' } },
      data: { deductedMicroUsd: 90_000n, shortfallMicroUsd: 10_000n },
    })
    const { discrepancies } = await reconcile()
    expect(discrepancies).toEqual([
      expect.objectContaining({
        kind: 'item-deducted-mismatch',
        batchId,
        tokenId: 2n,
        expected: 90_000n,
        actual: 100_000n,
        message: `Pass #2 in batch ${batchId}: the ledger records $0.09 deducted, the chain deducted $0.10.`,
      }),
      expect.objectContaining({ kind: 'item-shortfall-mismatch', expected: 10_000n, actual: 0n }),
      // The edited shortfall is a debt the pass does not carry.
      expect.objectContaining({ kind: 'pass-debt-mismatch', tokenId: 2n, expected: 10_000n }),
    ])
    // Put right, it is clean again.
    await db.database.prisma.settlementItem.update({
      where: { batchId_passId: { batchId, passId: passIds.get(2n) ?? '' } },
      data: { deductedMicroUsd: 100_000n, shortfallMicroUsd: 0n },
    })
    expect((await reconcile()).discrepancies).toEqual([])
  })

  test("a pass's debt that its settlements do not explain is reported", async () => {
    const passId = passIds.get(3n) ?? ''
    const { debtMicroUsd } = await db.database.prisma.pass.findUniqueOrThrow({
      where: { id: passId },
    })
    // Pass 3 fell short twice in the first test: $0.04 of the first batch is owed until now.
    expect(debtMicroUsd).toBe(40_005n)
    await db.database.prisma.pass.update({ where: { id: passId }, data: { debtMicroUsd: 0n } })
    expect((await reconcile()).discrepancies).toEqual([
      expect.objectContaining({
        kind: 'pass-debt-mismatch',
        passId,
        tokenId: 3n,
        expected: 40_005n,
        actual: 0n,
      }),
    ])
    await db.database.prisma.pass.update({ where: { id: passId }, data: { debtMicroUsd } })
    expect((await reconcile()).discrepancies).toEqual([])
  })

  test('a CONFIRMED batch that was never sent, and its charges, are reported', async () => {
    const batchId = keccak256(toHex(`never-sent-${randomUUID()}`))
    const requestId = await charge(1n, 70_000n)
    await db.database.prisma.settlementBatch.create({
      data: {
        id: batchId,
        chainId: chain.chainId,
        contractAddress: chain.contracts.accessPass.toLowerCase(),
        status: 'CONFIRMED',
        totalMicroUsd: 70_000n,
        deductedMicroUsd: 70_000n,
        passCount: 1,
        items: {
          create: {
            passId: passIds.get(1n) ?? '',
            amountMicroUsd: 70_000n,
            chargesMicroUsd: 70_000n,
            deductedMicroUsd: 70_000n,
            shortfallMicroUsd: 0n,
          },
        },
      },
    })
    await db.database.prisma.ledgerEntry.update({
      where: { requestId },
      data: { settlementBatchId: batchId, settledAt: new Date() },
    })
    const { discrepancies } = await reconcile()
    expect(discrepancies).toEqual([
      expect.objectContaining({
        kind: 'batch-not-on-chain',
        batchId,
        expected: true,
        actual: false,
      }),
    ])
    expect(discrepancies[0]?.message).toContain('the contract never settled it')
    // Sent after all (late), the batch and its charge agree again.
    await settleOnChain(batchId, [[1n, 70_000n]])
    expect((await reconcile()).discrepancies).toEqual([])
  })

  test('a settlement the database does not know, and a FAILED batch the chain settled', async () => {
    const unknown = keccak256(toHex(`unknown-${randomUUID()}`))
    await settleOnChain(unknown, [[1n, 20_000n]])
    const failed = keccak256(toHex(`failed-${randomUUID()}`))
    await db.database.prisma.settlementBatch.create({
      data: {
        id: failed,
        chainId: chain.chainId,
        contractAddress: chain.contracts.accessPass.toLowerCase(),
        status: 'FAILED',
        totalMicroUsd: 30_000n,
        passCount: 1,
        items: { create: { passId: passIds.get(2n) ?? '', amountMicroUsd: 30_000n } },
      },
    })
    await settleOnChain(failed, [[2n, 30_000n]])
    const { discrepancies } = await reconcile()
    expect(discrepancies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'batch-unknown', batchId: unknown, actual: 20_000n }),
        expect.objectContaining({
          kind: 'batch-status-mismatch',
          batchId: failed,
          expected: 'FAILED',
          actual: 'CONFIRMED',
        }),
      ]),
    )
    expect(discrepancies).toHaveLength(2)
    await db.database.prisma.settlementBatch.delete({ where: { id: failed } })
  })

  test('ledger entries: settled without a batch, and other charges than the batch settled', async () => {
    // A fresh database view: only this test's plants are reported below.
    const before = (await reconcile()).discrepancies.length
    const stray = await charge(2n, 1_000n)
    await db.database.prisma.ledgerEntry.update({
      where: { requestId: stray },
      data: { settledAt: new Date() },
    })
    const { batchId } = await settle('overcharged', [[1n, 5_000n]])
    const extra = await charge(1n, 2_000n)
    await db.database.prisma.ledgerEntry.update({
      where: { requestId: extra },
      data: { settlementBatchId: batchId, settledAt: new Date() },
    })
    const { discrepancies } = await reconcile()
    expect(discrepancies.slice(before)).toEqual([
      expect.objectContaining({ kind: 'entry-settled-without-batch', requestId: stray }),
      expect.objectContaining({
        kind: 'item-charges-mismatch',
        batchId,
        tokenId: 1n,
        expected: 5_000n,
        actual: 7_000n,
      }),
    ])
  })

  test('an unreachable chain is a clear error, not a crash', async () => {
    const error = await reconcileSettlement({
      database: db.database,
      client: createPublicClient({
        transport: http('http://127.0.0.1:1/secret-key', { retryCount: 0 }),
      }),
      chainId: chain.chainId,
      contract: chain.contracts.accessPass,
    }).catch((error: unknown) => error as Error & { code: string })
    expect(error).toMatchObject({ code: 'CHAIN_UNAVAILABLE' })
    expect((error as Error).message).toMatch(
      /^Cannot reconcile settlement: reading the latest block failed/,
    )
    // RPC URLs carry API keys.
    expect((error as Error).message).not.toContain('secret-key')
  })

  test('a wrong contract address is named', async () => {
    await expect(
      reconcileSettlement({
        database: db.database,
        client: publicClient,
        chainId: chain.chainId,
        contract: chain.accounts.treasury.address,
      }),
    ).rejects.toThrow(`there is no contract at ${chain.accounts.treasury.address}`)
  })
})
