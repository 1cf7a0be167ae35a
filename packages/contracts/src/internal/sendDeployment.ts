import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Client,
  decodeErrorResult,
  getAddress,
  type Hash,
  type Hex,
  isHex,
  type Transport,
} from 'viem'
import { call, sendTransaction, waitForTransactionReceipt } from 'viem/actions'
import { ContractDeploymentError } from '../errors/deploy.js'

/** Clients every deploy helper takes. */
export type DeployClients = {
  /** Sends the deployment; its hoisted account is the deployer. */
  walletClient: Client<Transport, Chain | undefined, Account>
  /** Simulates the deployment and waits for the receipt. May be the same client. */
  publicClient: Client<Transport, Chain | undefined>
}

/** Where a contract was deployed. */
export type DeployedContract = {
  /** Checksummed. */
  address: Address
  transactionHash: Hash
  blockNumber: bigint
}

/**
 * Simulates, sends `data` (bytecode + encoded constructor arguments) and waits until the
 * contract exists.
 */
export async function sendDeployment({
  walletClient,
  publicClient,
  contractName,
  abi,
  data,
}: DeployClients & { contractName: string; abi: Abi; data: Hex }): Promise<DeployedContract> {
  // Simulated first because a failed gas estimate hides the revert data; a call keeps it, so a
  // constructor's custom error (e.g. `ZeroAddress`) can be named.
  try {
    await call(publicClient, { account: walletClient.account, data })
  } catch (error) {
    const errorName = decodeRevert(abi, error)
    if (errorName === undefined) throw error
    throw new ContractDeploymentError({ contractName, reason: 'reverted', errorName, cause: error })
  }

  const transactionHash = await sendTransaction(walletClient, {
    account: walletClient.account,
    chain: walletClient.chain ?? null,
    data,
  })
  const receipt = await waitForTransactionReceipt(publicClient, { hash: transactionHash })
  if (receipt.status !== 'success')
    throw new ContractDeploymentError({ contractName, transactionHash, reason: 'reverted' })
  if (!receipt.contractAddress)
    throw new ContractDeploymentError({ contractName, transactionHash, reason: 'no-address' })
  return {
    address: getAddress(receipt.contractAddress),
    transactionHash,
    blockNumber: receipt.blockNumber,
  }
}

/** The custom error in `error`'s cause chain, by name, if `abi` knows it. */
function decodeRevert(abi: Abi, error: unknown): string | undefined {
  const seen = new Set<unknown>()
  for (let current = error; typeof current === 'object' && current !== null; ) {
    if (seen.has(current)) break
    seen.add(current)
    const data = 'data' in current ? current.data : undefined
    if (typeof data === 'string' && isHex(data) && data.length >= 10) {
      try {
        return decodeErrorResult({ abi, data }).errorName
      } catch {
        return undefined
      }
    }
    current = 'cause' in current ? current.cause : undefined
  }
  return undefined
}
