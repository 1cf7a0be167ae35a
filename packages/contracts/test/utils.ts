import {
  BaseError,
  type Chain,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  type HttpTransport,
  http,
  type PublicClient,
  type TestClient,
  type WalletClient,
} from 'viem'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { expect } from 'vitest'
import type { DevAccount } from '../src/devChain/constants.js'
import type { StartDevChainReturnType } from '../src/devChain/startDevChain.js'

export type Clients = {
  publicClient: PublicClient<HttpTransport, Chain>
  testClient: TestClient<'anvil', HttpTransport, Chain>
  walletClientOf: (account: DevAccount) => WalletClient<HttpTransport, Chain, PrivateKeyAccount>
}

/** Clients for a dev chain; short polling because anvil mines at once. */
export function createClients(devChain: StartDevChainReturnType): Clients {
  const transport = http(devChain.rpcUrl)
  const { chain } = devChain
  return {
    publicClient: createPublicClient({ chain, transport, pollingInterval: 50 }),
    testClient: createTestClient({ chain, mode: 'anvil', transport }),
    walletClientOf: (account: DevAccount) =>
      createWalletClient({
        account: privateKeyToAccount(account.privateKey),
        chain,
        transport,
        pollingInterval: 50,
      }),
  }
}

/** Asserts that `promise` fails with the custom Solidity error `errorName` (and `args`). */
export async function expectRevert(
  promise: Promise<unknown>,
  errorName: string,
  args?: readonly unknown[],
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error, `expected a revert with ${errorName}`).toBeInstanceOf(BaseError)
  const reverted = (error as BaseError).walk((e) => e instanceof ContractFunctionRevertedError)
  expect(reverted).toBeInstanceOf(ContractFunctionRevertedError)
  const { data } = reverted as ContractFunctionRevertedError
  expect(data?.errorName).toBe(errorName)
  if (args) expect(data?.args).toEqual(args)
}
