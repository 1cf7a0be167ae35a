import { BaseError } from '@accesspoint/core'

// Operators read these (CLI, logs, admin procedures). Nothing here quotes an RPC URL, which can
// carry an API key: RPC failures are described with `describeRpcError`.

const resumeNote = 'Batches already written are resumed by the next run; nothing is lost.'

export type SettlementChainUnavailableErrorParameters = {
  chainId: number
  /** The call that failed, e.g. `getTransactionReceipt`. */
  operation: string
  /**
   * `rpc`: the call failed on every retry. `circuit-open`: RPC failures in a row opened the
   * circuit breaker, so the run stopped without calling again.
   */
  reason: 'rpc' | 'circuit-open'
  /** When the breaker lets a probe through (circuit-open only). */
  retryAfterSeconds?: number | undefined
  /** What the last failure was, from `describeRpcError`. */
  description?: string | undefined
}

export type SettlementChainUnavailableErrorType = SettlementChainUnavailableError & {
  name: 'SettlementChainUnavailableError'
}

/** The chain's RPC did not answer; the run stopped where it was. */
export class SettlementChainUnavailableError extends BaseError {
  declare readonly code: 'CHAIN_UNAVAILABLE'
  readonly chainId: number
  readonly operation: string
  readonly reason: SettlementChainUnavailableErrorParameters['reason']
  readonly retryAfterSeconds: number | undefined

  constructor({
    chainId,
    operation,
    reason,
    retryAfterSeconds,
    description,
  }: SettlementChainUnavailableErrorParameters) {
    super(
      reason === 'circuit-open'
        ? `Settlement stopped: the RPC of chain ${chainId} failed repeatedly, so its circuit breaker is open; ` +
            `try again in ${retryAfterSeconds ?? 1} s. ${resumeNote}`
        : `Settlement stopped: the RPC of chain ${chainId} did not answer (${operation}) after several attempts. ` +
            `Check the RPC endpoint and run again. ${resumeNote}`,
      {
        code: 'CHAIN_UNAVAILABLE',
        details: `Chain ${chainId} could not be reached.`,
        docsPath: '/errors#chain-unavailable',
        metaMessages: [
          `Operation: ${operation}`,
          ...(description ? [`Last failure: ${description}`] : []),
        ],
        name: 'SettlementChainUnavailableError',
      },
    )
    this.chainId = chainId
    this.operation = operation
    this.reason = reason
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export type SettlementRejectedErrorParameters = {
  chainId: number
  contract: string
  /** The billing key. */
  account: string
  /** Why, e.g. `AccessControlUnauthorizedAccount` or `insufficient funds for gas`. */
  reason: string
  /** What the operator should do about it. */
  fix: string
}

export type SettlementRejectedErrorType = SettlementRejectedError & {
  name: 'SettlementRejectedError'
}

/**
 * The chain refuses settlement transactions for a reason that no retry and no smaller batch
 * fixes (the key lacks BILLING_ROLE, has no gas money, …): the run stops before it marks any
 * batch FAILED, so fixing the cause and running again settles everything.
 */
export class SettlementRejectedError extends BaseError {
  declare readonly code: 'INTERNAL'
  readonly reason: string

  constructor({ chainId, contract, account, reason, fix }: SettlementRejectedErrorParameters) {
    super(
      `Settlement stopped: chain ${chainId} rejects settle() on ${contract} from ${account} (${reason}). ${fix} ${resumeNote}`,
      { code: 'INTERNAL', docsPath: '/errors#settlement', name: 'SettlementRejectedError' },
    )
    this.reason = reason
  }
}

export type SettlementMismatchErrorParameters = {
  batchId: string
  /** What disagrees. */
  reason: string
}

export type SettlementMismatchErrorType = SettlementMismatchError & {
  name: 'SettlementMismatchError'
}

/**
 * The chain's record of a batch disagrees with the database (events that do not match the
 * stored items, a FAILED batch that the contract has used). Nothing is applied: the batch is
 * left as it is for an operator, and the run stops rather than guess with money.
 */
export class SettlementMismatchError extends BaseError {
  declare readonly code: 'INTERNAL'
  readonly batchId: string

  constructor({ batchId, reason }: SettlementMismatchErrorParameters) {
    super(
      `Settlement stopped: batch ${batchId} on-chain does not match the database (${reason}). ` +
        'Nothing was applied for it; reconcile it before the next run.',
      { code: 'INTERNAL', docsPath: '/errors#settlement', name: 'SettlementMismatchError' },
    )
    this.batchId = batchId
  }
}
