import { afterAll, beforeAll, expect, test } from 'vitest'
import { createClients } from '../../test/utils.js'
import { devAccounts } from '../devChain/constants.js'
import { type StartDevChainReturnType, startDevChain } from '../devChain/startDevChain.js'
import { mockUsdcAbi } from '../generated/MockUSDC.js'
import { deployMockUsdc } from './deployMockUsdc.js'

let devChain: StartDevChainReturnType
beforeAll(async () => {
  devChain = await startDevChain({ port: 0 })
})
afterAll(() => devChain?.stop())

test('deploys a 6-decimal token anyone can mint', async () => {
  const { publicClient, walletClientOf } = createClients(devChain)
  const anyone = devAccounts[5]
  const { address } = await deployMockUsdc({ walletClient: walletClientOf(anyone), publicClient })
  const token = { address, abi: mockUsdcAbi } as const

  expect(
    await Promise.all([
      publicClient.readContract({ ...token, functionName: 'name' }),
      publicClient.readContract({ ...token, functionName: 'symbol' }),
      publicClient.readContract({ ...token, functionName: 'decimals' }),
      publicClient.readContract({ ...token, functionName: 'totalSupply' }),
    ]),
  ).toEqual(['Mock USD Coin', 'USDC', 6, 0n])

  const hash = await walletClientOf(anyone).writeContract({
    ...token,
    functionName: 'mint',
    args: [devAccounts[6].address, 1_500_000n],
  })
  await publicClient.waitForTransactionReceipt({ hash })
  expect(
    await publicClient.readContract({
      ...token,
      functionName: 'balanceOf',
      args: [devAccounts[6].address],
    }),
  ).toBe(1_500_000n)
})
