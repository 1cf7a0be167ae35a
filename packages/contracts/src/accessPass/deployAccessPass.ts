import {
  type Address,
  type CallErrorType,
  type EncodeDeployDataErrorType,
  encodeDeployData,
  type SendTransactionErrorType,
  type WaitForTransactionReceiptErrorType,
} from 'viem'
import type { ContractDeploymentErrorType } from '../errors/deploy.js'
import { accessPassAbi, accessPassBytecode } from '../generated/AccessPass.js'
import {
  type DeployClients,
  type DeployedContract,
  sendDeployment,
} from '../internal/sendDeployment.js'

export type DeployAccessPassParameters = DeployClients & {
  /**
   * Gets `DEFAULT_ADMIN_ROLE`, and only that: grant `MINTER_ROLE` and `BILLING_ROLE` to the
   * minting and settlement keys afterwards (see {@link minterRole}, {@link billingRole}).
   */
  admin: Address
  /** The ERC-20 credit is paid in; a 6-decimal stablecoin makes 1 unit = 1 micro-USD. */
  stablecoin: Address
  /** Receives settled funds; the admin can change it with `setTreasury`. */
  treasury: Address
}

export type DeployAccessPassReturnType = DeployedContract

export type DeployAccessPassErrorType =
  | EncodeDeployDataErrorType
  | CallErrorType
  | SendTransactionErrorType
  | WaitForTransactionReceiptErrorType
  | ContractDeploymentErrorType

/**
 * Deploys AccessPass and waits for the receipt.
 *
 * @example
 * const { address } = await deployAccessPass({
 *   walletClient,
 *   publicClient,
 *   admin: walletClient.account.address,
 *   stablecoin: usdcAddress,
 *   treasury,
 * })
 *
 * @throws {ContractDeploymentError} When the deployment reverts (naming the constructor's custom
 *   error when it can) or creates no contract.
 */
export async function deployAccessPass({
  walletClient,
  publicClient,
  admin,
  stablecoin,
  treasury,
}: DeployAccessPassParameters): Promise<DeployAccessPassReturnType> {
  const data = encodeDeployData({
    abi: accessPassAbi,
    bytecode: accessPassBytecode,
    args: [admin, stablecoin, treasury],
  })
  return sendDeployment({
    walletClient,
    publicClient,
    contractName: 'AccessPass',
    abi: accessPassAbi,
    data,
  })
}
