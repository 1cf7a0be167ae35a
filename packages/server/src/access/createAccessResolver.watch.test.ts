import { accessPassAbi, devAccounts, mockUsdcAbi } from '@accesspoint/contracts'
import { type StartDevChainReturnType, startDevChain } from '@accesspoint/contracts/devChain'
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  type Transport,
  zeroHash,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { revert, snapshot, waitForTransactionReceipt, writeContract } from 'viem/actions'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { type AccessResolver, createAccessResolver } from './createAccessResolver.js'
import { defaultRoles } from './defaultRoles.js'
import { toRoleHash } from './toRoleHash.js'

// Each test moves different accounts' passes or roles, so they share one chain and resolver.
let chain: StartDevChainReturnType
let resolver: AccessResolver
let gate: { hold: boolean; arrived: () => void; release: Promise<void> } | undefined
const requests = new Map<string, number>()
const invalidated: Address[] = []

const [admin, holder1, holder2, holder3, withoutPass, spare5, spare6] = devAccounts

beforeAll(async () => {
  chain = await startDevChain({ port: 0 })
  // Counts requests; while `gate.hold` is set, the next eth_call's answer (read before the gate,
  // so it reflects the chain at that moment) is held back until `gate.release` settles.
  const transport: Transport = (options) => {
    const inner = http(chain.rpcUrl)(options)
    return {
      ...inner,
      request: (async (args, requestOptions) => {
        requests.set(args.method, (requests.get(args.method) ?? 0) + 1)
        const result = await inner.request(args, requestOptions)
        if (args.method === 'eth_call' && gate?.hold) {
          const held = gate
          held.hold = false
          held.arrived()
          await held.release
        }
        return result
      }) as typeof inner.request,
    }
  }
  resolver = createAccessResolver({
    chains: [{ chainId: chain.chainId, transport }],
    roles: defaultRoles({ chainId: chain.chainId, accessPass: chain.contracts.accessPass }),
    passContracts: [{ chainId: chain.chainId, address: chain.contracts.accessPass }],
    // Long TTLs: any change seen below comes from an event, not from expiry.
    ttl: { ownershipMs: 600_000, rolesMs: 600_000 },
    pollingIntervalMs: 25,
  })
  resolver.onInvalidate((address) => invalidated.push(address))
})

afterAll(async () => {
  await resolver?.close()
  await chain?.stop()
})

function walletOf(account: { privateKey: `0x${string}` }) {
  return createWalletClient({
    account: privateKeyToAccount(account.privateKey),
    chain: chain.chain,
    transport: http(chain.rpcUrl),
  })
}

async function send(
  account: { privateKey: `0x${string}` },
  call: Parameters<typeof writeContract>[1],
) {
  const hash = await writeContract(walletOf(account), call)
  const publicClient = createPublicClient({ chain: chain.chain, transport: http(chain.rpcUrl) })
  const receipt = await waitForTransactionReceipt(publicClient, { hash, pollingInterval: 10 })
  expect(receipt.status).toBe('success')
  return receipt
}

const eventually = (assertion: () => Promise<void>) =>
  vi.waitFor(assertion, { timeout: 5_000, interval: 20 })

test('a sold pass moves its holder role within a block or two', async () => {
  expect(await resolver.getAccess(holder1.address)).toMatchObject({
    roles: ['holder'],
    passes: [{ tokenId: 1n }],
  })
  expect((await resolver.getAccess(withoutPass.address)).roles).toStrictEqual([])
  const calls = requests.get('eth_call')
  // Cached: asking again reads nothing.
  await resolver.getAccess(holder1.address)
  expect(requests.get('eth_call')).toBe(calls)

  const sentAt = Date.now()
  await send(holder1, {
    address: chain.contracts.accessPass,
    abi: accessPassAbi,
    functionName: 'transferFrom',
    args: [holder1.address, withoutPass.address, 1n],
    account: privateKeyToAccount(holder1.privateKey),
    chain: chain.chain,
  })
  await eventually(async () => {
    expect((await resolver.getAccess(holder1.address)).roles).toStrictEqual([])
    expect(await resolver.getAccess(withoutPass.address)).toMatchObject({
      roles: ['holder'],
      passes: [{ tokenId: 1n, creditMicroUsd: 50_000_000n }],
    })
  })
  // Polling every 25 ms, the watcher needs a tick or two, not a TTL.
  expect(Date.now() - sentAt).toBeLessThan(3_000)
  expect(invalidated).toEqual(expect.arrayContaining([holder1.address, withoutPass.address]))
})

test('RoleGranted and RoleRevoked change admin', async () => {
  expect((await resolver.getAccess(spare5.address)).roles).toStrictEqual([])
  const grant = {
    address: chain.contracts.accessPass,
    abi: accessPassAbi,
    args: [zeroHash, spare5.address],
    account: privateKeyToAccount(admin.privateKey),
    chain: chain.chain,
  } as const
  await send(admin, { ...grant, functionName: 'grantRole' })
  await eventually(async () => {
    expect((await resolver.getAccess(spare5.address)).roles).toStrictEqual(['admin'])
  })
  await send(admin, { ...grant, functionName: 'revokeRole' })
  await eventually(async () => {
    expect((await resolver.getAccess(spare5.address)).roles).toStrictEqual([])
  })
})

test('a deposit (an event naming only the token id) refreshes the owner’s credit', async () => {
  expect((await resolver.getAccess(holder2.address)).passes).toMatchObject([
    { tokenId: 2n, creditMicroUsd: 5_000_000n },
  ])
  const account = privateKeyToAccount(holder2.privateKey)
  await send(holder2, {
    address: chain.contracts.usdc,
    abi: mockUsdcAbi,
    functionName: 'approve',
    args: [chain.contracts.accessPass, 1_000_000n],
    account,
    chain: chain.chain,
  })
  await send(holder2, {
    address: chain.contracts.accessPass,
    abi: accessPassAbi,
    functionName: 'deposit',
    args: [2n, 1_000_000n],
    account,
    chain: chain.chain,
  })
  await eventually(async () => {
    expect((await resolver.getAccess(holder2.address)).passes).toMatchObject([
      { tokenId: 2n, creditMicroUsd: 6_000_000n },
    ])
  })

  // Settlement deducts credit: `Settled` names the pass, not its owner.
  await send(admin, {
    address: chain.contracts.accessPass,
    abi: accessPassAbi,
    functionName: 'settle',
    args: [`0x${'01'.repeat(32)}`, [2n], [500_000n]],
    account: privateKeyToAccount(admin.privateKey),
    chain: chain.chain,
  })
  await eventually(async () => {
    expect((await resolver.getAccess(holder2.address)).passes).toMatchObject([
      { tokenId: 2n, creditMicroUsd: 5_500_000n },
    ])
  })
})

test('a read that began before an invalidation is not cached', async () => {
  expect((await resolver.getAccess(holder3.address)).roles).toStrictEqual(['holder'])
  resolver.invalidate(holder3.address)

  let arrived = () => {}
  let release = () => {}
  gate = {
    hold: true,
    arrived: () => arrived(),
    release: new Promise<void>((resolve) => {
      release = resolve
    }),
  }
  const reached = new Promise<void>((resolve) => {
    arrived = resolve
  })
  // This read sees holder3 still holding pass 3, but its answer is held back...
  const stale = resolver.getAccess(holder3.address)
  await reached
  // ...while the pass is sold and the watcher invalidates holder3.
  const seen = invalidated.length
  await send(holder3, {
    address: chain.contracts.accessPass,
    abi: accessPassAbi,
    functionName: 'transferFrom',
    args: [holder3.address, spare6.address, 3n],
    account: privateKeyToAccount(holder3.privateKey),
    chain: chain.chain,
  })
  await eventually(async () => {
    expect(invalidated.slice(seen)).toContain(holder3.address)
  })
  release()

  // The held read answers its caller with what was true when it began...
  expect((await stale).roles).toStrictEqual(['holder'])
  // ...but was not cached: the next call reads again and sees the sale.
  const calls = requests.get('eth_call') ?? 0
  expect((await resolver.getAccess(holder3.address)).roles).toStrictEqual([])
  expect(requests.get('eth_call')).toBe(calls + 1)
  gate = undefined
})

test('a chain that rewinds (reorg, anvil revert) drops everything cached on it', async () => {
  const testClient = createTestClient({
    mode: 'anvil',
    chain: chain.chain,
    transport: http(chain.rpcUrl),
  })
  const calls = () => requests.get('eth_call') ?? 0
  await resolver.getAccess(spare6.address)
  const id = await snapshot(testClient)
  // A watched event, so we know when the watcher has passed this block: the revert below then
  // takes the chain back below what the watcher has seen.
  const seen = invalidated.length
  await send(admin, {
    address: chain.contracts.accessPass,
    abi: accessPassAbi,
    functionName: 'grantRole',
    args: [toRoleHash('MINTER_ROLE'), spare5.address],
    account: privateKeyToAccount(admin.privateKey),
    chain: chain.chain,
  })
  await eventually(async () => {
    expect(invalidated.slice(seen)).toContain(spare5.address)
  })
  let before = calls()
  await resolver.getAccess(spare6.address)
  expect(calls()).toBe(before)

  await revert(testClient, { id })
  await eventually(async () => {
    before = calls()
    await resolver.getAccess(spare6.address)
    expect(calls()).toBe(before + 1)
  })
})
