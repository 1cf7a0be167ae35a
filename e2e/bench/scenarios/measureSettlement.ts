import { fileURLToPath, pathToFileURL } from 'node:url'
import { accessPassAbi, mockUsdcAbi } from '@accesspoint/contracts'
import { startDevChain } from '@accesspoint/contracts/devChain'
import {
  applyMigrations,
  createDatabase,
  createSettlementChain,
  type Database,
  runSettlement,
  type SettlementLogger,
} from '@accesspoint/server'
import { addCharges } from '@accesspoint/server/testing'
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeFunctionData,
  http,
} from 'viem'
import { createPostgresDatabase } from '../../support/postgres.js'
import type { BenchProfile } from '../support/startBenchSystem.js'

export type SettlementOptions = {
  /** The database: embedded PGlite, or PostgreSQL (Redis plays no part). @default 'embedded' */
  profile?: BenchProfile | undefined
  /** @default 2_000 */
  passes?: number | undefined
  /** @default 5 */
  chargesPerPass?: number | undefined
}

export type SettlementResult = {
  profile: BenchProfile
  passes: number
  charges: number
  /** anvil, the database, minting and funding the passes, writing the charges. */
  setupSeconds: number
  /** One `runSettlement`, from planning to the last batch confirmed and applied. */
  settleSeconds: number
  /** `settle` transactions mined (one per batch). */
  transactions: number
  /** Passes per transaction, in order. */
  batchSizes: number[]
  /** Gas used by those transactions, in total (a decimal string). */
  gasUsed: string
  /** Micro-USD deducted on-chain, in total (a decimal string); checked to be the charges' sum. */
  deductedMicroUsd: string
  /**
   * The median round trip of one plain ERC-20 `transfer` on the same anvil, sent and confirmed
   * with the same clients (the settlement's polling): settleSeconds ÷ this compares machines.
   */
  baselineTransactionMs: number
}

const migrationsDir = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url))
// What apps/server uses on the dev chain (anvil mines at once).
const pollingIntervalMs = 100
// Transactions sent between two rounds of mining during setup.
const perBlock = 250

/**
 * 5. Settlement: `passes` passes minted and funded ($1 each) on anvil, `chargesPerPass` captured
 * charges each written to the ledger (older than the settlement delay), then one
 * `runSettlement` as the server runs it (its clients, batch sizer and 1 confirmation): wall time
 * of the setup and of the settlement, transactions, passes per transaction and gas. It throws
 * unless every batch is CONFIRMED and each pass's on-chain credit dropped by exactly its charges.
 * The baseline, in the same run: one plain ERC-20 transfer's round trip on the same chain.
 */
export async function measureSettlement({
  profile = 'embedded',
  passes = 2_000,
  chargesPerPass = 5,
}: SettlementOptions = {}): Promise<SettlementResult> {
  const setupStarted = performance.now()
  const devChain = await startDevChain({ port: 0 })
  const postgres = profile === 'postgres+redis' ? await createPostgresDatabase() : undefined
  let database: Database | undefined
  try {
    database = postgres
      ? await createDatabase({ kind: 'postgres', url: postgres.url })
      : await createDatabase({ kind: 'embedded' })
    await applyMigrations({ database, migrationsDir })
    const { chain, rpcUrl, chainId, contracts, accounts } = devChain
    const owners = [...accounts.holders, accounts.withoutPass].map((account) => account.address)
    const publicClient = createPublicClient({ chain, transport: http(rpcUrl) })

    // Minting and funding: anvil signs for its unlocked admin account; nonce, gas and fees are
    // given, so each transaction is one round trip. Automine would fall behind a few thousand
    // of them (its pool grows and slows it to a crawl), so blocks are mined by hand, every
    // `perBlock` transactions, until the pool is empty.
    const testClient = createTestClient({ chain, mode: 'anvil', transport: http(rpcUrl) })
    const admin = createWalletClient({
      account: accounts.admin.address,
      chain,
      transport: http(rpcUrl),
    })
    let nonce = await publicClient.getTransactionCount({
      address: accounts.admin.address,
      blockTag: 'pending',
    })
    let unmined = 0
    const mineAll = async () => {
      for (;;) {
        const { pending, queued } = await testClient.getTxpoolStatus()
        if (pending + queued === 0) break
        await testClient.mine({ blocks: 1 })
      }
      unmined = 0
    }
    const send = async (to: Address, data: `0x${string}`) => {
      await admin.sendTransaction({
        to,
        data,
        nonce: nonce++,
        gas: 500_000n,
        maxFeePerGas: 50_000_000_000n,
        maxPriorityFeePerGas: 1_000_000_000n,
      })
      if (++unmined >= perBlock) await mineAll()
    }
    const credit = 1_000_000n
    // A little more than the deposits, for the baseline's transfers.
    const usdc = credit * BigInt(passes) + 1_000_000n
    const first =
      (await publicClient.readContract({
        address: contracts.accessPass,
        abi: accessPassAbi,
        functionName: 'totalMinted',
      })) + 1n
    const tokenIds = Array.from({ length: passes }, (_, index) => first + BigInt(index))
    const ownerOf = (index: number) => owners[index % owners.length] as Address
    await testClient.setAutomine(false)
    for (let index = 0; index < passes; index++)
      await send(
        contracts.accessPass,
        encodeFunctionData({ abi: accessPassAbi, functionName: 'mint', args: [ownerOf(index)] }),
      )
    await send(
      contracts.usdc,
      encodeFunctionData({
        abi: mockUsdcAbi,
        functionName: 'mint',
        args: [accounts.admin.address, usdc],
      }),
    )
    await send(
      contracts.usdc,
      encodeFunctionData({
        abi: mockUsdcAbi,
        functionName: 'approve',
        args: [contracts.accessPass, usdc],
      }),
    )
    for (const tokenId of tokenIds)
      await send(
        contracts.accessPass,
        encodeFunctionData({
          abi: accessPassAbi,
          functionName: 'deposit',
          args: [tokenId, credit],
        }),
      )
    await mineAll()
    // Settlement runs as on the dev chain: a block per transaction.
    await testClient.setAutomine(true)

    // The charges: captured an hour ago, so due at a delay of a minute.
    const chargesOf = (index: number) =>
      Array.from({ length: chargesPerPass }, (_, k) =>
        BigInt(1_000 + ((index * 7 + k * 131) % 900)),
      )
    const capturedAt = new Date(Date.now() - 3_600_000)
    for (const owner of owners)
      await addCharges({
        database,
        chainId,
        contract: contracts.accessPass,
        owner,
        passes: tokenIds.flatMap((tokenId, index) =>
          ownerOf(index) === owner ? [{ tokenId, charges: chargesOf(index) }] : [],
        ),
        capturedAt,
      })
    const expected = new Map(
      tokenIds.map((tokenId, index) => [tokenId, chargesOf(index).reduce((a, b) => a + b, 0n)]),
    )
    const creditsBefore = await creditsOf(publicClient, contracts.accessPass, owners)
    const unfunded = tokenIds.filter((tokenId) => creditsBefore.get(tokenId) !== credit)
    if (unfunded.length > 0)
      throw new Error(
        `Setup failed: ${unfunded.length} passes not minted and funded with ${credit}.`,
      )
    const setupSeconds = (performance.now() - setupStarted) / 1000

    // The server's own settlement clients, as apps/server builds them for the dev chain.
    const settlementChain = createSettlementChain({
      rpcUrl,
      chainId,
      contract: contracts.accessPass,
      privateKey: accounts.admin.privateKey,
      pollingIntervalMs,
    })
    const baselineTransactionMs = await measureTransfer(settlementChain, contracts.usdc, owners[0])

    const fromBlock = await publicClient.getBlockNumber({ cacheTime: 0 })
    const settleStarted = performance.now()
    const result = await runSettlement({
      database,
      chain: settlementChain,
      delayMs: 60_000,
      logger,
    })
    const settleSeconds = (performance.now() - settleStarted) / 1000

    // Correctness: every batch confirmed, and each pass's credit down by exactly its charges.
    const problems: string[] = []
    const unconfirmed = result.batches.filter((batch) => batch.status !== 'CONFIRMED')
    if (unconfirmed.length > 0)
      problems.push(`${unconfirmed.length} batches not CONFIRMED: ${JSON.stringify(unconfirmed)}`)
    const due = [...expected.values()].reduce((a, b) => a + b, 0n)
    if (result.totalRequestedMicroUsd !== due || result.totalDeductedMicroUsd !== due)
      problems.push(
        `requested ${result.totalRequestedMicroUsd}, deducted ${result.totalDeductedMicroUsd}, charged ${due}`,
      )
    const creditsAfter = await creditsOf(publicClient, contracts.accessPass, owners)
    for (const [tokenId, charged] of expected) {
      const dropped = (creditsBefore.get(tokenId) ?? 0n) - (creditsAfter.get(tokenId) ?? 0n)
      if (dropped !== charged)
        problems.push(`pass #${tokenId}: credit dropped by ${dropped}, charged ${charged}`)
    }
    const settled = await publicClient.getContractEvents({
      address: contracts.accessPass,
      abi: accessPassAbi,
      eventName: 'BatchSettled',
      fromBlock,
    })
    const hashes = [...new Set(settled.map((log) => log.transactionHash))]
    if (hashes.length !== result.batches.length)
      problems.push(
        `${hashes.length} settle transactions on-chain, ${result.batches.length} batches`,
      )
    if (problems.length > 0)
      throw new Error(`Settlement is wrong:\n${problems.slice(0, 20).join('\n')}`)

    let gasUsed = 0n
    for (const hash of hashes)
      gasUsed += (await publicClient.getTransactionReceipt({ hash })).gasUsed

    return {
      profile,
      passes,
      charges: passes * chargesPerPass,
      setupSeconds: round3(setupSeconds),
      settleSeconds: round3(settleSeconds),
      transactions: hashes.length,
      batchSizes: result.batches.map((batch) => batch.passes),
      gasUsed: gasUsed.toString(),
      deductedMicroUsd: result.totalDeductedMicroUsd.toString(),
      baselineTransactionMs,
    }
  } finally {
    await database?.close()
    await postgres?.drop()
    await devChain.stop()
  }
}

// Warnings and errors show; progress does not.
const logger: SettlementLogger = {
  info() {},
  warn: (object, message) => console.warn('[settlement]', message ?? '', object),
  error: (object, message) => console.error('[settlement]', message ?? '', object),
}

/** Every pass of `owners` with its credit (`passesOf`, one call per owner). */
async function creditsOf(
  publicClient: ReturnType<typeof createPublicClient>,
  accessPass: Address,
  owners: readonly Address[],
): Promise<Map<bigint, bigint>> {
  const credits = new Map<bigint, bigint>()
  for (const owner of owners) {
    const [tokenIds, amounts] = await publicClient.readContract({
      address: accessPass,
      abi: accessPassAbi,
      functionName: 'passesOf',
      args: [owner],
    })
    for (const [index, tokenId] of tokenIds.entries()) credits.set(tokenId, amounts[index] ?? 0n)
  }
  return credits
}

/**
 * Median ms of a MockUSDC `transfer` from the settlement key: gas estimated, signed, sent, and
 * its receipt asked for at once and then every polling interval, as settlement confirms its
 * own transactions.
 */
async function measureTransfer(
  { publicClient, walletClient }: ReturnType<typeof createSettlementChain>,
  usdc: Address,
  to: Address | undefined,
): Promise<number> {
  if (!walletClient.account || !to) throw new Error('no account to send the baseline from')
  const times: number[] = []
  // One warm-up, then five.
  for (let i = 0; i < 6; i++) {
    const started = performance.now()
    const hash = await walletClient.writeContract({
      account: walletClient.account,
      chain: walletClient.chain,
      address: usdc,
      abi: mockUsdcAbi,
      functionName: 'transfer',
      args: [to, 1n],
    })
    for (;;) {
      const receipt = await publicClient.getTransactionReceipt({ hash }).catch(() => undefined)
      if (receipt?.status === 'reverted') throw new Error(`the baseline transfer ${hash} reverted`)
      if (receipt) break
      await new Promise((resolve) => setTimeout(resolve, pollingIntervalMs))
    }
    if (i > 0) times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return round3(times[Math.floor(times.length / 2)] ?? 0)
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000
}

// `npx tsx --conditions=@accesspoint/source bench/scenarios/measureSettlement.ts` (in e2e/) runs
// this scenario alone; BENCH_PROFILE=postgres+redis and BENCH_PASSES apply.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const profile = (process.env.BENCH_PROFILE ?? 'embedded') as BenchProfile
  const passes = Number(process.env.BENCH_PASSES ?? 2_000)
  console.log(JSON.stringify(await measureSettlement({ profile, passes }), null, 2))
}
