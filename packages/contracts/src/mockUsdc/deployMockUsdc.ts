import {
  type CallErrorType,
  type EncodeDeployDataErrorType,
  encodeDeployData,
  type SendTransactionErrorType,
  type WaitForTransactionReceiptErrorType,
} from 'viem'
import type { ContractDeploymentErrorType } from '../errors/deploy.js'
import { mockUsdcAbi, mockUsdcBytecode } from '../generated/MockUSDC.js'
import {
  type DeployClients,
  type DeployedContract,
  sendDeployment,
} from '../internal/sendDeployment.js'

export type DeployMockUsdcParameters = DeployClients

export type DeployMockUsdcReturnType = DeployedContract

export type DeployMockUsdcErrorType =
  | EncodeDeployDataErrorType
  | CallErrorType
  | SendTransactionErrorType
  | WaitForTransactionReceiptErrorType
  | ContractDeploymentErrorType

/**
 * Deploys MockUSDC, a 6-decimal ERC-20 whose `mint(to, amount)` is open to anyone. For local
 * chains and tests only; on a real network use the real USDC.
 *
 * @throws {ContractDeploymentError} When the deployment reverts (naming the constructor's custom
 *   error when it can) or creates no contract.
 */
export async function deployMockUsdc({
  walletClient,
  publicClient,
}: DeployMockUsdcParameters): Promise<DeployMockUsdcReturnType> {
  const data = encodeDeployData({ abi: mockUsdcAbi, bytecode: mockUsdcBytecode })
  return sendDeployment({
    walletClient,
    publicClient,
    contractName: 'MockUSDC',
    abi: mockUsdcAbi,
    data,
  })
}
