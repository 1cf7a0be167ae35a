import {
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  erc20Abi,
  type Hash,
  type Hex,
  parseEventLogs,
  toHex,
  type WriteContractParameters,
} from 'viem'
import type { PrivateKeyAccount } from 'viem/accounts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { accessControlAbi } from '../src/abis/accessControlAbi.js'
import { billingRole, defaultAdminRole, minterRole } from '../src/accessPass/roles.js'
import { type DevAccount, devAccounts } from '../src/devChain/constants.js'
import { type StartDevChainReturnType, startDevChain } from '../src/devChain/startDevChain.js'
import { accessPassAbi } from '../src/generated/AccessPass.js'
import { mockUsdcAbi } from '../src/generated/MockUSDC.js'
import { type Clients, createClients, expectRevert } from './utils.js'

let devChain: StartDevChainReturnType
let clients: Clients
let snapshot: Hex

beforeAll(async () => {
  devChain = await startDevChain({ port: 0 })
  clients = createClients(devChain)
})
afterAll(() => devChain?.stop())

// Every test starts from the freshly funded chain.
beforeEach(async () => {
  snapshot = await clients.testClient.snapshot()
})
afterEach(async () => {
  await clients.testClient.revert({ id: snapshot })
})

const admin = devAccounts[0]
const holder1 = devAccounts[1]
const holder3 = devAccounts[3]
const stranger = devAccounts[4]
const newTreasury = devAccounts[8]
const batchId = (n: number): Hash => toHex(n, { size: 32 })

type AccessPassWrite = ContractFunctionName<typeof accessPassAbi, 'nonpayable'>

/** Sends an AccessPass transaction from `account` and checks that it was mined successfully. */
async function write<functionName extends AccessPassWrite>(
  account: DevAccount,
  request: {
    functionName: functionName
    args: ContractFunctionArgs<typeof accessPassAbi, 'nonpayable', functionName>
  },
) {
  const hash = await clients.walletClientOf(account).writeContract({
    address: devChain.contracts.accessPass,
    abi: accessPassAbi,
    functionName: request.functionName as AccessPassWrite,
    args: request.args,
  } as WriteContractParameters<
    typeof accessPassAbi,
    AccessPassWrite,
    ContractFunctionArgs<typeof accessPassAbi, 'nonpayable', AccessPassWrite>,
    Chain,
    PrivateKeyAccount
  >)
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  return receipt
}

async function approveUsdc(account: DevAccount, amount: bigint) {
  const hash = await clients.walletClientOf(account).writeContract({
    address: devChain.contracts.usdc,
    abi: mockUsdcAbi,
    functionName: 'approve',
    args: [devChain.contracts.accessPass, amount],
  })
  await clients.publicClient.waitForTransactionReceipt({ hash })
}

const read = {
  creditOf: (tokenId: bigint) =>
    clients.publicClient.readContract({
      address: devChain.contracts.accessPass,
      abi: accessPassAbi,
      functionName: 'creditOf',
      args: [tokenId],
    }),
  usdcBalanceOf: (account: Address) =>
    clients.publicClient.readContract({
      address: devChain.contracts.usdc,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [account],
    }),
  passesOf: (owner: Address) =>
    clients.publicClient.readContract({
      address: devChain.contracts.accessPass,
      abi: accessPassAbi,
      functionName: 'passesOf',
      args: [owner],
    }),
  treasury: () =>
    clients.publicClient.readContract({
      address: devChain.contracts.accessPass,
      abi: accessPassAbi,
      functionName: 'treasury',
    }),
}

test('passesOf lists every pass of an owner with its credit, in one call', async () => {
  expect(await read.passesOf(holder1.address)).toEqual([[1n], [50_000_000n]])
  expect(await read.passesOf(stranger.address)).toEqual([[], []])
})

describe('mint', () => {
  test('the minter mints sequential ids', async () => {
    const receipt = await write(admin, { functionName: 'mint', args: [stranger.address] })
    const [transfer] = parseEventLogs({
      abi: accessPassAbi,
      logs: receipt.logs,
      eventName: 'Transfer',
    })
    expect(transfer?.args).toEqual({
      from: '0x0000000000000000000000000000000000000000',
      to: stranger.address,
      tokenId: 4n,
    })
    const ownerOf = await clients.publicClient.readContract({
      address: devChain.contracts.accessPass,
      abi: accessPassAbi,
      functionName: 'ownerOf',
      args: [4n],
    })
    expect(ownerOf).toBe(stranger.address)
    expect(await read.creditOf(4n)).toBe(0n)
  })

  test('others cannot mint', async () => {
    await expectRevert(
      write(holder1, { functionName: 'mint', args: [holder1.address] }),
      'AccessControlUnauthorizedAccount',
      [holder1.address, minterRole],
    )
  })

  test('not to a contract that cannot hold it', async () => {
    await expectRevert(
      write(admin, { functionName: 'mint', args: [devChain.contracts.usdc] }),
      'ERC721InvalidReceiver',
      [devChain.contracts.usdc],
    )
  })
})

describe('deposit', () => {
  test('anyone can top up any pass', async () => {
    const before = await read.usdcBalanceOf(stranger.address)
    await approveUsdc(stranger, 2_000_000n)
    const receipt = await write(stranger, { functionName: 'deposit', args: [1n, 2_000_000n] })

    expect(await read.creditOf(1n)).toBe(52_000_000n)
    expect(await read.usdcBalanceOf(stranger.address)).toBe(before - 2_000_000n)
    expect(await read.usdcBalanceOf(devChain.contracts.accessPass)).toBe(57_010_000n)
    const events = parseEventLogs({ abi: accessPassAbi, logs: receipt.logs })
    expect(events.map(({ eventName, args }) => ({ eventName, args }))).toEqual([
      {
        eventName: 'Deposited',
        args: { tokenId: 1n, from: stranger.address, amount: 2_000_000n, newCredit: 52_000_000n },
      },
    ])
  })

  test('not to a pass that does not exist', async () => {
    await approveUsdc(stranger, 1n)
    await expectRevert(
      write(stranger, { functionName: 'deposit', args: [99n, 1n] }),
      'ERC721NonexistentToken',
      [99n],
    )
  })

  test('not zero', async () => {
    await expectRevert(write(stranger, { functionName: 'deposit', args: [1n, 0n] }), 'ZeroAmount')
  })

  test('not without allowance', async () => {
    await expectRevert(
      write(stranger, { functionName: 'deposit', args: [1n, 1n] }),
      'ERC20InsufficientAllowance',
      [devChain.contracts.accessPass, 0n, 1n],
    )
  })

  test('credit stays with the pass when it is sold', async () => {
    await write(holder1, {
      functionName: 'transferFrom',
      args: [holder1.address, stranger.address, 1n],
    })
    expect(await read.creditOf(1n)).toBe(50_000_000n)
    expect(await read.passesOf(holder1.address)).toEqual([[], []])
    expect((await read.passesOf(stranger.address))[0]).toContain(1n)
  })
})

describe('settle', () => {
  test('deducts and pays the treasury once', async () => {
    const treasury = devChain.accounts.treasury.address
    const receipt = await write(admin, {
      functionName: 'settle',
      args: [batchId(1), [1n, 2n], [10_000_000n, 1_000_000n]],
    })

    expect(await read.creditOf(1n)).toBe(40_000_000n)
    expect(await read.creditOf(2n)).toBe(4_000_000n)
    expect(await read.usdcBalanceOf(treasury)).toBe(11_000_000n)
    expect(await read.usdcBalanceOf(devChain.contracts.accessPass)).toBe(44_010_000n)

    const events = parseEventLogs({ abi: accessPassAbi, logs: receipt.logs })
    expect(events.map(({ eventName, args }) => ({ eventName, args }))).toEqual([
      {
        eventName: 'Settled',
        args: { batchId: batchId(1), tokenId: 1n, requested: 10_000_000n, deducted: 10_000_000n },
      },
      {
        eventName: 'Settled',
        args: { batchId: batchId(1), tokenId: 2n, requested: 1_000_000n, deducted: 1_000_000n },
      },
      {
        eventName: 'BatchSettled',
        args: { batchId: batchId(1), passCount: 2n, totalDeducted: 11_000_000n },
      },
    ])
    const transfers = parseEventLogs({ abi: erc20Abi, logs: receipt.logs, eventName: 'Transfer' })
    expect(transfers.map(({ args }) => args)).toEqual([
      { from: devChain.contracts.accessPass, to: treasury, value: 11_000_000n },
    ])
  })

  test('a batch id settles once', async () => {
    const args = [batchId(7), [1n], [1_000_000n]] as const
    const isBatchSettled = () =>
      clients.publicClient.readContract({
        address: devChain.contracts.accessPass,
        abi: accessPassAbi,
        functionName: 'isBatchSettled',
        args: [batchId(7)],
      })
    expect(await isBatchSettled()).toBe(false)
    await write(admin, { functionName: 'settle', args })
    expect(await isBatchSettled()).toBe(true)

    await expectRevert(write(admin, { functionName: 'settle', args }), 'BatchAlreadySettled', [
      batchId(7),
    ])
    expect(await read.creditOf(1n)).toBe(49_000_000n)
    expect(await read.usdcBalanceOf(devChain.accounts.treasury.address)).toBe(1_000_000n)
  })

  test('a short pass gives what it has; the rest of the batch settles', async () => {
    const receipt = await write(admin, {
      functionName: 'settle',
      args: [batchId(2), [3n, 1n, 99n], [25_000n, 1_000_000n, 5n]],
    })

    expect(await read.creditOf(3n)).toBe(0n)
    expect(await read.creditOf(1n)).toBe(49_000_000n)
    expect(await read.usdcBalanceOf(devChain.accounts.treasury.address)).toBe(1_010_000n)

    const events = parseEventLogs({ abi: accessPassAbi, logs: receipt.logs })
    expect(events.map(({ eventName, args }) => ({ eventName, args }))).toEqual([
      {
        eventName: 'Shortfall',
        args: { batchId: batchId(2), tokenId: 3n, requested: 25_000n, deducted: 10_000n },
      },
      {
        eventName: 'Settled',
        args: { batchId: batchId(2), tokenId: 3n, requested: 25_000n, deducted: 10_000n },
      },
      {
        eventName: 'Settled',
        args: { batchId: batchId(2), tokenId: 1n, requested: 1_000_000n, deducted: 1_000_000n },
      },
      {
        eventName: 'Shortfall',
        args: { batchId: batchId(2), tokenId: 99n, requested: 5n, deducted: 0n },
      },
      {
        eventName: 'Settled',
        args: { batchId: batchId(2), tokenId: 99n, requested: 5n, deducted: 0n },
      },
      {
        eventName: 'BatchSettled',
        args: { batchId: batchId(2), passCount: 3n, totalDeducted: 1_010_000n },
      },
    ])
  })

  test('an empty batch is recorded and moves nothing', async () => {
    const receipt = await write(admin, { functionName: 'settle', args: [batchId(3), [], []] })
    const events = parseEventLogs({ abi: accessPassAbi, logs: receipt.logs })
    expect(events.map(({ eventName, args }) => ({ eventName, args }))).toEqual([
      {
        eventName: 'BatchSettled',
        args: { batchId: batchId(3), passCount: 0n, totalDeducted: 0n },
      },
    ])
    expect(parseEventLogs({ abi: erc20Abi, logs: receipt.logs, eventName: 'Transfer' })).toEqual([])
  })

  test('lengths must match', async () => {
    await expectRevert(
      write(admin, { functionName: 'settle', args: [batchId(4), [1n, 2n], [1n]] }),
      'LengthMismatch',
      [2n, 1n],
    )
  })

  test('the batch id must be set', async () => {
    await expectRevert(
      write(admin, { functionName: 'settle', args: [batchId(0), [1n], [1n]] }),
      'ZeroBatchId',
    )
  })

  test('only billing can settle', async () => {
    await expectRevert(
      write(holder1, { functionName: 'settle', args: [batchId(5), [1n], [1n]] }),
      'AccessControlUnauthorizedAccount',
      [holder1.address, billingRole],
    )
  })

  test('a new billing key can settle once granted', async () => {
    const receipt = await write(admin, {
      functionName: 'grantRole',
      args: [billingRole, holder3.address],
    })
    const [granted] = parseEventLogs({ abi: accessControlAbi, logs: receipt.logs })
    expect(granted).toMatchObject({
      eventName: 'RoleGranted',
      args: { role: billingRole, account: holder3.address, sender: admin.address },
    })
    await write(holder3, { functionName: 'settle', args: [batchId(6), [2n], [1n]] })
    expect(await read.creditOf(2n)).toBe(4_999_999n)
  })
})

describe('setTreasury', () => {
  test('the admin changes where settlements go', async () => {
    const receipt = await write(admin, { functionName: 'setTreasury', args: [newTreasury.address] })
    const events = parseEventLogs({ abi: accessPassAbi, logs: receipt.logs })
    expect(events.map(({ eventName, args }) => ({ eventName, args }))).toEqual([
      {
        eventName: 'TreasuryUpdated',
        args: {
          previousTreasury: devChain.accounts.treasury.address,
          newTreasury: newTreasury.address,
        },
      },
    ])
    expect(await read.treasury()).toBe(newTreasury.address)

    const before = await read.usdcBalanceOf(newTreasury.address)
    await write(admin, { functionName: 'settle', args: [batchId(8), [1n], [3n]] })
    expect(await read.usdcBalanceOf(newTreasury.address)).toBe(before + 3n)
  })

  test('only the admin', async () => {
    await expectRevert(
      write(holder1, { functionName: 'setTreasury', args: [holder1.address] }),
      'AccessControlUnauthorizedAccount',
      [holder1.address, defaultAdminRole],
    )
  })

  test('not the zero address', async () => {
    await expectRevert(
      write(admin, {
        functionName: 'setTreasury',
        args: ['0x0000000000000000000000000000000000000000'],
      }),
      'ZeroAddress',
    )
  })
})

test('supportsInterface', async () => {
  const supports = (interfaceId: Hex) =>
    clients.publicClient.readContract({
      address: devChain.contracts.accessPass,
      abi: accessPassAbi,
      functionName: 'supportsInterface',
      args: [interfaceId],
    })
  expect(await supports('0x01ffc9a7')).toBe(true) // ERC-165
  expect(await supports('0x80ac58cd')).toBe(true) // ERC-721
  expect(await supports('0x5b5e139f')).toBe(true) // ERC-721 metadata
  expect(await supports('0x7965db0b')).toBe(true) // AccessControl
  expect(await supports('0xffffffff')).toBe(false)
})
