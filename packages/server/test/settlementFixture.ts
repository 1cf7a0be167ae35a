import { accessPassAbi, type DevAccount, mockUsdcAbi } from '@accesspoint/contracts'
import {
  type StartDevChainReturnType as DevChain,
  startDevChain,
} from '@accesspoint/contracts/devChain'
import {
  type Address,
  type Chain,
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeFunctionData,
  type Hash,
  type HttpTransport,
  http,
  type PublicClient,
  type TestClient,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { Database } from '../src/db/createDatabase.js'
import type { SettlementChain } from '../src/settlement/types.js'
import { writeSettlementBatch } from '../src/settlement/writeSettlementBatch.js'
import { addCharges } from '../src/testing/addCharges.js'

export type SettlementFixture = {
  devChain: DevChain
  publicClient: PublicClient<HttpTransport, Chain>
  testClient: TestClient<'anvil', HttpTransport, Chain>
  /**
   * What `runSettlement` gets: clients through `rpcUrl` (the chain itself by default, or a proxy
   * in front of it) that do not retry on their own, so the worker's retries are what is tested.
   */
  settlementChain(options?: { rpcUrl?: string; account?: DevAccount }): SettlementChain
  /** Mints one pass per credit (to `owners` in turn) and deposits the credit; returns the ids. */
  mintPasses(credits: readonly bigint[], owners?: readonly Address[]): Promise<bigint[]>
  /** `deposit(tokenId, amount)` paid by the admin, as any top-up. */
  deposit(tokenId: bigint, amount: bigint): Promise<void>
  creditOf(tokenId: bigint): Promise<bigint>
  /** Every pass `owner` holds, with its credit, in one call (`passesOf`). */
  creditsOf(owner: Address): Promise<Map<bigint, bigint>>
  /** Settlement transactions (`settle` calls to the pass contract) mined so far. */
  settleTransactions(): Promise<Hash[]>
  /** anvil's `evm_snapshot` / `evm_revert` (which consumes the snapshot). */
  snapshot(): Promise<`0x${string}`>
  revert(id: `0x${string}`): Promise<void>
  stop(): Promise<void>
}

/** A dev chain (anvil, AccessPass, MockUSDC; account 0 holds the billing role) for settlement tests. */
export async function createSettlementFixture(): Promise<SettlementFixture> {
  const devChain = await startDevChain({ port: 0 })
  const { chain, rpcUrl } = devChain
  const admin = devChain.accounts.admin
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 50 })
  const testClient = createTestClient({ chain, mode: 'anvil', transport: http(rpcUrl) })
  const adminWallet = createWalletClient({
    account: privateKeyToAccount(admin.privateKey),
    chain,
    transport: http(rpcUrl),
  })
  const accessPass = devChain.contracts.accessPass

  // Many transactions without a round trip each for nonce, gas and fees; anvil mines each one as
  // it arrives, in nonce order.
  let nonce: number | undefined
  const send = async (to: Address, data: `0x${string}`) => {
    nonce ??= await publicClient.getTransactionCount({
      address: admin.address,
      blockTag: 'pending',
    })
    return adminWallet.sendTransaction({
      to,
      data,
      nonce: nonce++,
      gas: 500_000n,
      maxFeePerGas: 50_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    })
  }
  const settle = async (last: Hash) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: last })
    if (receipt.status !== 'success') throw new Error(`setup transaction ${last} reverted`)
  }

  return {
    devChain,
    publicClient,
    testClient,
    settlementChain({ rpcUrl: url = rpcUrl, account = admin } = {}) {
      const transport = http(url, { retryCount: 0, timeout: 5_000 })
      return {
        publicClient: createPublicClient({ chain, transport, pollingInterval: 50 }),
        walletClient: createWalletClient({
          account: privateKeyToAccount(account.privateKey),
          chain,
          transport,
          pollingInterval: 50,
        }),
        contract: accessPass,
        chainId: devChain.chainId,
      }
    },
    async mintPasses(credits, owners = [devChain.accounts.holders[0].address]) {
      // Settlement sends from the same key in between.
      nonce = undefined
      const first =
        (await publicClient.readContract({
          address: accessPass,
          abi: accessPassAbi,
          functionName: 'totalMinted',
        })) + 1n
      const total = credits.reduce((sum, credit) => sum + credit, 0n)
      let last: Hash | undefined
      for (const [index] of credits.entries())
        last = await send(
          accessPass,
          encodeFunctionData({
            abi: accessPassAbi,
            functionName: 'mint',
            args: [owners[index % owners.length] as Address],
          }),
        )
      if (total > 0n) {
        await send(
          devChain.contracts.usdc,
          encodeFunctionData({
            abi: mockUsdcAbi,
            functionName: 'mint',
            args: [admin.address, total],
          }),
        )
        last = await send(
          devChain.contracts.usdc,
          encodeFunctionData({
            abi: mockUsdcAbi,
            functionName: 'approve',
            args: [accessPass, total],
          }),
        )
      }
      for (const [index, credit] of credits.entries())
        if (credit > 0n)
          last = await send(
            accessPass,
            encodeFunctionData({
              abi: accessPassAbi,
              functionName: 'deposit',
              args: [first + BigInt(index), credit],
            }),
          )
      if (last) await settle(last)
      return credits.map((_, index) => first + BigInt(index))
    },
    async deposit(tokenId, amount) {
      nonce = undefined
      await send(
        devChain.contracts.usdc,
        encodeFunctionData({
          abi: mockUsdcAbi,
          functionName: 'mint',
          args: [admin.address, amount],
        }),
      )
      await send(
        devChain.contracts.usdc,
        encodeFunctionData({
          abi: mockUsdcAbi,
          functionName: 'approve',
          args: [accessPass, amount],
        }),
      )
      await settle(
        await send(
          accessPass,
          encodeFunctionData({
            abi: accessPassAbi,
            functionName: 'deposit',
            args: [tokenId, amount],
          }),
        ),
      )
    },
    creditOf: (tokenId) =>
      publicClient.readContract({
        address: accessPass,
        abi: accessPassAbi,
        functionName: 'creditOf',
        args: [tokenId],
      }),
    async creditsOf(owner) {
      const [tokenIds, credits] = await publicClient.readContract({
        address: accessPass,
        abi: accessPassAbi,
        functionName: 'passesOf',
        args: [owner],
      })
      return new Map(tokenIds.map((tokenId, index) => [tokenId, credits[index] ?? 0n]))
    },
    async settleTransactions() {
      const logs = await publicClient.getContractEvents({
        address: accessPass,
        abi: accessPassAbi,
        eventName: 'BatchSettled',
        fromBlock: 0n,
      })
      return [...new Set(logs.map((log) => log.transactionHash))]
    },
    snapshot: () => testClient.snapshot(),
    async revert(id) {
      await testClient.revert({ id })
      // The admin's nonce went back with the chain.
      nonce = undefined
    },
    stop: () => devChain.stop(),
  }
}

// Moved to the package's `testing` entry (benchmarks use it too); re-exported for the tests.
export { type AddChargesParameters, addCharges } from '../src/testing/addCharges.js'

/**
 * Two passes with charges in a written (PENDING) batch: `rich` with $0.005, `poor` with $0.008 of
 * charges plus $0.001 of debt from an earlier shortfall (suspended, $0.004 of credit).
 */
export async function addWrittenBatch({
  database,
  contract,
  owner,
  tokenIds: [rich, poor],
}: {
  database: Database
  contract: Address
  owner: Address
  tokenIds: readonly [bigint, bigint]
}) {
  const ids = await addCharges({
    database,
    chainId: 31337,
    contract,
    owner,
    passes: [
      { tokenId: rich, charges: [3_000n, 2_000n] },
      { tokenId: poor, charges: [8_000n] },
    ],
    capturedAt: new Date(Date.now() - 60_000),
  })
  const poorId = ids.get(poor) as string
  await database.prisma.pass.update({
    where: { id: poorId },
    data: { debtMicroUsd: 1_000n, suspendedAt: new Date(0), creditMicroUsd: 4_000n },
  })
  const batch = await writeSettlementBatch({
    database,
    batchId: toHex(crypto.getRandomValues(new Uint8Array(32))),
    chainId: 31337,
    contractAddress: contract.toLowerCase(),
    passIds: [...ids.values()],
    cutoff: new Date(),
    fromBlock: 1n,
    now: new Date(),
  })
  if (!batch) throw new Error('nothing written')
  return { batch, rich, poor, richId: ids.get(rich) as string, poorId }
}
