import { parseEventLogs, zeroAddress } from 'viem'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Clients, createClients } from '../../test/utils.js'
import { devAccounts } from '../devChain/constants.js'
import { type StartDevChainReturnType, startDevChain } from '../devChain/startDevChain.js'
import { accessPassAbi } from '../generated/AccessPass.js'
import { deployAccessPass } from './deployAccessPass.js'
import { defaultAdminRole, minterRole } from './roles.js'

let devChain: StartDevChainReturnType
let clients: Clients
beforeAll(async () => {
  devChain = await startDevChain({ port: 0 })
  clients = createClients(devChain)
})
afterAll(() => devChain?.stop())

const deployer = devAccounts[5]
const admin = devAccounts[6]
const treasury = devAccounts[7]

test('deploys with the admin, stablecoin and treasury given', async () => {
  const { publicClient } = clients
  const result = await deployAccessPass({
    walletClient: clients.walletClientOf(deployer),
    publicClient,
    admin: admin.address,
    stablecoin: devChain.contracts.usdc,
    treasury: treasury.address,
  })
  expect(result.address).toMatch(/^0x[0-9a-fA-F]{40}$/)
  expect(result.address).not.toBe(devChain.contracts.accessPass)

  const receipt = await publicClient.getTransactionReceipt({ hash: result.transactionHash })
  expect(receipt.blockNumber).toBe(result.blockNumber)
  const events = parseEventLogs({ abi: accessPassAbi, logs: receipt.logs })
  expect(events.map(({ eventName, args }) => ({ eventName, args }))).toEqual([
    {
      eventName: 'RoleGranted',
      args: { role: defaultAdminRole, account: admin.address, sender: deployer.address },
    },
    {
      eventName: 'TreasuryUpdated',
      args: { previousTreasury: zeroAddress, newTreasury: treasury.address },
    },
  ])

  const contract = { address: result.address, abi: accessPassAbi } as const
  const [name, symbol, stablecoin, treasuryOf, totalMinted, deployerIsAdmin, adminIsMinter] =
    await Promise.all([
      publicClient.readContract({ ...contract, functionName: 'name' }),
      publicClient.readContract({ ...contract, functionName: 'symbol' }),
      publicClient.readContract({ ...contract, functionName: 'stablecoin' }),
      publicClient.readContract({ ...contract, functionName: 'treasury' }),
      publicClient.readContract({ ...contract, functionName: 'totalMinted' }),
      publicClient.readContract({
        ...contract,
        functionName: 'hasRole',
        args: [defaultAdminRole, deployer.address],
      }),
      publicClient.readContract({
        ...contract,
        functionName: 'hasRole',
        args: [minterRole, admin.address],
      }),
    ])
  expect({ name, symbol, stablecoin, treasuryOf, totalMinted }).toEqual({
    name: 'AccessPoint Pass',
    symbol: 'APASS',
    stablecoin: devChain.contracts.usdc,
    treasuryOf: treasury.address,
    totalMinted: 0n,
  })
  // Only the admin role: minting and billing keys are granted explicitly.
  expect(deployerIsAdmin).toBe(false)
  expect(adminIsMinter).toBe(false)
})

test('rejects a zero address', async () => {
  await expect(
    deployAccessPass({
      walletClient: clients.walletClientOf(deployer),
      publicClient: clients.publicClient,
      admin: admin.address,
      stablecoin: devChain.contracts.usdc,
      treasury: zeroAddress,
    }),
  ).rejects.toThrow(
    expect.objectContaining({
      name: 'ContractDeploymentError',
      shortMessage: 'Deploying AccessPass failed: the constructor reverted with ZeroAddress.',
    }),
  )
})
