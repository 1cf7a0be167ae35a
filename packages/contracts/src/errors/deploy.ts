import type { Hash } from 'viem'
import { BaseError } from './base.js'

export type ContractDeploymentErrorParameters = {
  /** Which contract, e.g. `'AccessPass'`. */
  contractName: string
  /** Why the deployment failed. */
  reason: 'reverted' | 'no-address'
  /** The constructor's custom error, when the simulation named one (nothing was sent then). */
  errorName?: string | undefined
  /** The deployment transaction, when it was mined. */
  transactionHash?: Hash | undefined
  cause?: unknown
}

export type ContractDeploymentErrorType = ContractDeploymentError & {
  name: 'ContractDeploymentError'
}

/** A deployment reverted (in simulation or on-chain) or created no contract. */
export class ContractDeploymentError extends BaseError {
  readonly contractName: string
  readonly errorName: string | undefined
  readonly transactionHash: Hash | undefined

  constructor({
    contractName,
    reason,
    errorName,
    transactionHash,
    cause,
  }: ContractDeploymentErrorParameters) {
    const why =
      reason === 'no-address'
        ? 'the receipt has no contract address'
        : errorName
          ? `the constructor reverted with ${errorName}`
          : 'the transaction reverted'
    super(`Deploying ${contractName} failed: ${why}.`, {
      cause,
      metaMessages: transactionHash ? [`Transaction: ${transactionHash}`] : [],
      docsPath: '/contracts#deploy',
      name: 'ContractDeploymentError',
    })
    this.contractName = contractName
    this.errorName = errorName
    this.transactionHash = transactionHash
  }
}
