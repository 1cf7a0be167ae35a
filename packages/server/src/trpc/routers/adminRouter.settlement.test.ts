import { randomBytes } from 'node:crypto'
import { accessPassAbi, devAccounts, devChainAddresses } from '@accesspoint/contracts'
import { toHex } from 'viem'
import { readContract } from 'viem/actions'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer, testSiwe } from '../../../test/createTestServer.js'
import { expectError } from '../../../test/expectError.js'
import { devAccount, signInAs } from '../../../test/signInAs.js'
import { databaseKinds, migrationsDir } from '../../../test/testDatabase.js'
import { createAccessPoint } from '../../createAccessPoint.js'
import { writeSettlementBatch } from '../../settlement/writeSettlementBatch.js'

const messages = [{ role: 'user' as const, content: 'Summarise the order book.' }]
const unknownBatch = `0x${'ab'.repeat(32)}` as const

describe.each(databaseKinds)('settlement admin procedures on the %s database', (kind) => {
  let server: TestServer
  let holder: string
  let admin: string
  let charged = 0n

  const creditOf = (tokenId: bigint) =>
    readContract(server.accessPoint.services.clients.get(31337) ?? (undefined as never), {
      address: server.chain.contracts.accessPass,
      abi: accessPassAbi,
      functionName: 'creditOf',
      args: [tokenId],
    })
  const metrics = async () =>
    (await server.accessPoint.app.inject({ method: 'GET', url: '/metrics' })).body

  beforeAll(async () => {
    server = await createTestServer(kind, {
      // Account 0 is the dev chain's billing account (and AccessPass admin, so `admin`).
      settlement: { privateKey: devAccounts[0].privateKey, delayMs: 0, pollingIntervalMs: 50 },
    })
    holder = (await signInAs(server.client(), devAccount(1))).token
    admin = (await signInAs(server.client(), devAccount(0))).token
    for (let i = 0; i < 3; i++) {
      const result = await server
        .client(holder)
        .ai.complete.mutate({ model: 'dev-mini', messages, maxTokens: 16 })
      charged += result.costMicroUsd
    }
  })
  afterAll(() => server?.close())

  test('holders are refused every settlement procedure', async () => {
    const client = server.client(holder)
    await expectError(client.admin.settlements.query(), 'FORBIDDEN_ROLE', 403)
    await expectError(client.admin.runSettlement.mutate(), 'FORBIDDEN_ROLE', 403)
    await expectError(client.admin.runSettlement.mutate({ dryRun: true }), 'FORBIDDEN_ROLE', 403)
    await expectError(
      client.admin.retrySettlement.mutate({ batchId: unknownBatch }),
      'FORBIDDEN_ROLE',
      403,
    )
    await expectError(client.admin.reconcileSettlement.query(), 'FORBIDDEN_ROLE', 403)
    await expectError(server.client().admin.settlements.query(), 'UNAUTHENTICATED', 401)
  })

  test('a dry run plans per pass and in total, and writes and sends nothing', async () => {
    const plan = await server.client(admin).admin.runSettlement.mutate({ dryRun: true })
    expect(plan).toMatchObject({
      dryRun: true,
      totalRequestedMicroUsd: charged,
      totalDeductedMicroUsd: 0n,
      passes: [
        { tokenId: 1n, chargesMicroUsd: charged, debtMicroUsd: 0n, requestedMicroUsd: charged },
      ],
      batches: [{ passes: 1, requestedMicroUsd: charged, status: 'PLANNED' }],
    })
    expect((await server.client(admin).admin.settlements.query()).items).toEqual([])
    expect(await creditOf(1n)).toBe(50_000_000n)
  })

  test('runSettlement deducts the charges on-chain; settlements lists the batch; reconcile is clean', async () => {
    const result = await server.client(admin).admin.runSettlement.mutate()
    expect(result).toMatchObject({
      dryRun: false,
      totalRequestedMicroUsd: charged,
      totalDeductedMicroUsd: charged,
      batches: [{ passes: 1, status: 'CONFIRMED', deductedMicroUsd: charged }],
    })
    expect(await creditOf(1n)).toBe(50_000_000n - charged)
    const [batch] = result.batches

    const { items, nextCursor } = await server.client(admin).admin.settlements.query()
    expect(nextCursor).toBeNull()
    expect(items).toEqual([
      expect.objectContaining({
        batchId: batch?.batchId,
        status: 'CONFIRMED',
        txHash: batch?.txHash,
        passCount: 1,
        totalMicroUsd: charged,
        items: [
          expect.objectContaining({
            tokenId: 1n,
            amountMicroUsd: charged,
            deductedMicroUsd: charged,
            shortfallMicroUsd: 0n,
          }),
        ],
      }),
    ])
    expect(
      (await server.client(admin).admin.settlements.query({ status: 'FAILED' })).items,
    ).toEqual([])
    expect(
      (await server.client(admin).admin.settlements.query({ batchId: batch?.batchId })).items,
    ).toHaveLength(1)

    const reconciled = await server.client(admin).admin.reconcileSettlement.query()
    expect(reconciled.discrepancies).toEqual([])
    expect(reconciled.checked).toMatchObject({ batches: 1, batchesOnChain: 1 })

    // Nothing left: a second run settles nothing.
    const again = await server.client(admin).admin.runSettlement.mutate()
    expect(again).toMatchObject({ batches: [], passes: [], totalDeductedMicroUsd: 0n })
  })

  test('settlements pages newest first; a bad cursor or limit is a clear 400', async () => {
    // A second batch, so there are two pages of one.
    const result = await server
      .client(holder)
      .ai.complete.mutate({ model: 'dev-mini', messages, maxTokens: 16 })
    charged += result.costMicroUsd
    const second = await server.client(admin).admin.runSettlement.mutate()
    const first = await server.client(admin).admin.settlements.query({ limit: 1 })
    expect(first.items.map((item) => item.batchId)).toEqual([second.batches[0]?.batchId])
    expect(first.nextCursor).toEqual(expect.any(String))
    const next = await server
      .client(admin)
      .admin.settlements.query({ limit: 1, cursor: first.nextCursor ?? '' })
    expect(next.items).toHaveLength(1)
    expect(next.nextCursor).toBeNull()
    await expectError(
      server.client(admin).admin.settlements.query({ cursor: 'nonsense' }),
      'INVALID_INPUT',
      400,
    )
    await expectError(
      server.client(admin).admin.settlements.query({ limit: 101 }),
      'INVALID_INPUT',
      400,
    )
  })

  test('retrySettlement: an unknown batch is a 404, a CONFIRMED one a 409, a bad id a 400', async () => {
    await expectError(
      server.client(admin).admin.retrySettlement.mutate({ batchId: unknownBatch }),
      'NOT_FOUND',
      404,
    )
    const [confirmed] = (await server.client(admin).admin.settlements.query()).items
    await expectError(
      server
        .client(admin)
        .admin.retrySettlement.mutate({ batchId: (confirmed?.batchId ?? '') as `0x${string}` }),
      'CONFLICT',
      409,
    )
    await expectError(
      server.client(admin).admin.retrySettlement.mutate({ batchId: '0x1234' }),
      'INVALID_INPUT',
      400,
    )
  })

  test('metrics: what was deducted, batches and their size, and no unsettled charge left', async () => {
    const body = await metrics()
    expect(body).toMatch(/^accesspoint_settlement_batches_total\{status="CONFIRMED"\} 2$/m)
    expect(body).toMatch(
      new RegExp(`^accesspoint_settlement_deducted_micro_usd_total ${charged}$`, 'm'),
    )
    expect(body).toMatch(/^accesspoint_settlement_batch_size_count 2$/m)
    expect(body).toMatch(/^accesspoint_settlement_oldest_unsettled_seconds 0$/m)
    expect(body).toMatch(/^accesspoint_settlement_last_success_timestamp_seconds \d+/m)

    // A fresh charge is unsettled from the moment it is captured.
    await server.client(holder).ai.complete.mutate({ model: 'dev-mini', messages, maxTokens: 16 })
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const age = Number(
      /^accesspoint_settlement_oldest_unsettled_seconds (\S+)$/m.exec(await metrics())?.[1],
    )
    expect(age).toBeGreaterThanOrEqual(1)
  })

  test('retrySettlement resumes a batch a crashed run left PENDING, with its own id', async () => {
    // What a run killed between writing a batch and sending it leaves behind (the charge of the
    // previous test is still unsettled).
    const { database } = server.accessPoint
    const pass = await database.prisma.pass.findFirstOrThrow({ where: { tokenId: 1 } })
    const before = await creditOf(1n)
    const batchId = toHex(randomBytes(32))
    const written = await writeSettlementBatch({
      database,
      batchId,
      chainId: 31337,
      contractAddress: server.chain.contracts.accessPass.toLowerCase(),
      passIds: [pass.id],
      cutoff: new Date(),
      fromBlock: 0n,
      now: new Date(),
    })
    const amount = written?.totalMicroUsd ?? 0n
    expect(amount).toBeGreaterThan(0n)

    const { batch, run } = await server.client(admin).admin.retrySettlement.mutate({ batchId })
    expect(batch).toMatchObject({ batchId, status: 'CONFIRMED', totalMicroUsd: amount })
    expect(run).toMatchObject({ recovered: 1, batches: [{ batchId, status: 'CONFIRMED' }] })
    expect(await creditOf(1n)).toBe(before - amount)
    expect((await server.client(admin).admin.reconcileSettlement.query()).discrepancies).toEqual([])
  })
})

describe('settlement in createAccessPoint', () => {
  test('without a settlement key the procedures say how to configure one', async () => {
    const server = await createTestServer('embedded')
    try {
      const admin = (await signInAs(server.client(), devAccount(0))).token
      const error = await expectError(
        server.client(admin).admin.runSettlement.mutate(),
        'SERVICE_UNAVAILABLE',
        503,
      )
      expect(error.message).toContain('set SETTLEMENT_PRIVATE_KEY')
      // Listing needs no key.
      expect((await server.client(admin).admin.settlements.query()).items).toEqual([])
    } finally {
      await server.close()
    }
  })

  test('the schedule settles on its own, and the server still closes promptly', async () => {
    const server = await createTestServer('embedded', {
      settlement: {
        privateKey: devAccounts[0].privateKey,
        delayMs: 0,
        intervalMs: 100,
        initialDelayMs: 0,
        pollingIntervalMs: 50,
      },
    })
    try {
      const holder = (await signInAs(server.client(), devAccount(2))).token
      const { costMicroUsd } = await server
        .client(holder)
        .ai.complete.mutate({ model: 'dev-mini', messages, maxTokens: 16 })
      const pass = { address: server.chain.contracts.accessPass, abi: accessPassAbi } as const
      const client = server.accessPoint.services.clients.get(31337) ?? (undefined as never)
      await expect
        .poll(() => readContract(client, { ...pass, functionName: 'creditOf', args: [2n] }), {
          timeout: 15_000,
        })
        .toBe(5_000_000n - costMicroUsd)
    } finally {
      const started = Date.now()
      await server.close()
      expect(Date.now() - started).toBeLessThan(5_000)
    }
  })

  test('a settlement chain that is not among the configured chains is refused at start', async () => {
    await expect(
      createAccessPoint({
        database: { kind: 'embedded' },
        migrations: { dir: migrationsDir, applyOnStart: true },
        siwe: { ...testSiwe, chainIds: [31337] },
        passContracts: [{ chainId: 31337, address: devChainAddresses.accessPass }],
        settlement: { privateKey: devAccounts[0].privateKey, delayMs: 0, chainId: 1 },
      }),
    ).rejects.toThrow('settlement needs an AccessPass contract')
  })
})

test('right after a settlement the balance is exact: the cached credit went with the pending charges', async () => {
  // No chain watcher: only the settlement itself can drop this process's cached credit.
  const server = await createTestServer('embedded', {
    access: { watch: false },
    settlement: { privateKey: devAccounts[0].privateKey, delayMs: 0, pollingIntervalMs: 50 },
  })
  try {
    const holder = (await signInAs(server.client(), devAccount(1))).token
    const admin = (await signInAs(server.client(), devAccount(0))).token
    await server.client(holder).ai.complete.mutate({ model: 'dev-mini', messages, maxTokens: 16 })
    const [before] = await server.client(holder).billing.balance.query()
    expect(before?.pendingMicroUsd).toBeGreaterThan(0n)

    await server.client(admin).admin.runSettlement.mutate()
    // Pending moved on-chain: the available amount is what it was, never more.
    await expect
      .poll(async () => (await server.client(holder).billing.balance.query())[0], {
        timeout: 5_000,
      })
      .toMatchObject({
        pendingMicroUsd: 0n,
        creditMicroUsd: (before?.creditMicroUsd ?? 0n) - (before?.pendingMicroUsd ?? 0n),
        availableMicroUsd: before?.availableMicroUsd,
      })
  } finally {
    await server.close()
  }
})
