import { createServer, type Server } from 'node:net'
import { createPublicClient, createTestClient, erc721Abi, http } from 'viem'
import { getAutomine, readContract } from 'viem/actions'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { billingRole, defaultAdminRole, minterRole } from '../accessPass/roles.js'
import { DevChainPortInUseError, DevChainStartError } from '../errors/devChain.js'
import { accessPassAbi } from '../generated/AccessPass.js'
import { mockUsdcAbi } from '../generated/MockUSDC.js'
import { anvilChainId, devAccounts, devChainAddresses } from './constants.js'
import { type StartDevChainReturnType, startDevChain } from './startDevChain.js'

describe('funded state', () => {
  let devChain: StartDevChainReturnType
  beforeAll(async () => {
    devChain = await startDevChain({ port: 0 })
  })
  afterAll(() => devChain?.stop())

  const client = () =>
    createPublicClient({ chain: devChain.chain, transport: http(devChain.rpcUrl) })

  test('shape', () => {
    expect(devChain.port).toBeGreaterThan(0)
    expect(devChain.rpcUrl).toBe(`http://127.0.0.1:${devChain.port}`)
    expect(devChain.chainId).toBe(anvilChainId)
    expect(devChain.chain.id).toBe(anvilChainId)
    expect(devChain.chain.rpcUrls.default.http).toEqual([devChain.rpcUrl])
    expect(devChain.contracts).toEqual(devChainAddresses)
    expect(devChain.accounts).toEqual({
      admin: devAccounts[0],
      minter: devAccounts[0],
      billing: devAccounts[0],
      treasury: devAccounts[9],
      holders: [devAccounts[1], devAccounts[2], devAccounts[3]],
      withoutPass: devAccounts[4],
    })
    expect(devChain.passes).toEqual([
      { owner: devAccounts[1].address, tokenId: 1n, creditMicroUsd: 50_000_000n },
      { owner: devAccounts[2].address, tokenId: 2n, creditMicroUsd: 5_000_000n },
      { owner: devAccounts[3].address, tokenId: 3n, creditMicroUsd: 10_000n },
    ])
  })

  test('chain answers with chain id 31337', async () => {
    expect(await client().getChainId()).toBe(31337)
  })

  test('passes are owned and funded on-chain', async () => {
    const pass = { address: devChain.contracts.accessPass, abi: accessPassAbi } as const
    for (const { owner, tokenId, creditMicroUsd } of devChain.passes) {
      expect(
        await client().readContract({ ...pass, functionName: 'ownerOf', args: [tokenId] }),
      ).toBe(owner)
      expect(
        await client().readContract({ ...pass, functionName: 'creditOf', args: [tokenId] }),
      ).toBe(creditMicroUsd)
    }
    expect(await client().readContract({ ...pass, functionName: 'totalMinted' })).toBe(3n)
    expect(
      await client().readContract({
        address: devChain.contracts.accessPass,
        abi: erc721Abi,
        functionName: 'balanceOf',
        args: [devChain.accounts.withoutPass.address],
      }),
    ).toBe(0n)
    expect(await client().readContract({ ...pass, functionName: 'treasury' })).toBe(
      devChain.accounts.treasury.address,
    )
    expect(await client().readContract({ ...pass, functionName: 'stablecoin' })).toBe(
      devChain.contracts.usdc,
    )
  })

  test('roles', async () => {
    const hasRole = (role: `0x${string}`, account: `0x${string}`) =>
      client().readContract({
        address: devChain.contracts.accessPass,
        abi: accessPassAbi,
        functionName: 'hasRole',
        args: [role, account],
      })
    expect(await hasRole(defaultAdminRole, devChain.accounts.admin.address)).toBe(true)
    expect(await hasRole(minterRole, devChain.accounts.minter.address)).toBe(true)
    expect(await hasRole(billingRole, devChain.accounts.billing.address)).toBe(true)
    for (const holder of devChain.accounts.holders)
      expect(await hasRole(billingRole, holder.address)).toBe(false)
  })

  test('USDC balances', async () => {
    const balanceOf = (account: `0x${string}`) =>
      readContract(client(), {
        address: devChain.contracts.usdc,
        abi: mockUsdcAbi,
        functionName: 'balanceOf',
        args: [account],
      })
    for (const account of [...devChain.accounts.holders, devChain.accounts.withoutPass])
      expect(await balanceOf(account.address)).toBe(1_000_000_000n)
    expect(await balanceOf(devChain.accounts.admin.address)).toBe(0n)
    expect(await balanceOf(devChain.accounts.treasury.address)).toBe(0n)
    // Every unit of credit is backed by USDC held by the pass contract.
    expect(await balanceOf(devChain.contracts.accessPass)).toBe(55_010_000n)
  })

  test('automines by default', async () => {
    const testClient = createTestClient({
      chain: devChain.chain,
      mode: 'anvil',
      transport: http(devChain.rpcUrl),
    })
    expect(await getAutomine(testClient)).toBe(true)
  })
})

test('blockTime switches to interval mining', async () => {
  const devChain = await startDevChain({ port: 0, blockTime: 1 })
  try {
    const testClient = createTestClient({
      chain: devChain.chain,
      mode: 'anvil',
      transport: http(devChain.rpcUrl),
    })
    expect(await getAutomine(testClient)).toBe(false)
    expect(devChain.contracts).toEqual(devChainAddresses)
  } finally {
    await devChain.stop()
  }
})

test('a taken port fails instead of attaching to whatever listens there', async () => {
  const server = await listen(0)
  const port = portOf(server)
  try {
    const error = await startDevChain({ port }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DevChainPortInUseError)
    expect(error).toMatchObject({ host: '127.0.0.1', port })
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})

test('stop() frees the port, and a restart gives the same addresses', async () => {
  const first = await startDevChain({ port: 0 })
  const { port } = first
  await first.stop()
  await first.stop()
  await expect(
    createPublicClient({ transport: http(first.rpcUrl, { retryCount: 0 }) }).getChainId(),
  ).rejects.toThrow()

  const second = await startDevChain({ port })
  try {
    expect(second.port).toBe(port)
    expect(second.contracts).toEqual(first.contracts)
  } finally {
    await second.stop()
  }
  // Nothing listens any more: the port can be bound again.
  const server = await listen(port)
  await new Promise((resolve) => server.close(resolve))
})

test('invalid parameters', async () => {
  await expect(startDevChain({ port: -1 })).rejects.toThrow(DevChainStartError)
  await expect(startDevChain({ port: 1.5 })).rejects.toThrow('port 1.5 is not an integer')
  await expect(startDevChain({ port: 0, blockTime: 0 })).rejects.toThrow(DevChainStartError)
})

test('a missing binary fails with a start error', async () => {
  const error = await startDevChain({ port: 0, binaryPath: '/nonexistent/anvil' }).catch(
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DevChainStartError)
  expect(error).toMatchObject({
    shortMessage: 'Cannot start the dev chain: cannot run anvil at /nonexistent/anvil.',
  })
})

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}

function portOf(server: Server): number {
  const address = server.address()
  if (typeof address !== 'object' || address === null) throw new Error('not listening')
  return address.port
}
