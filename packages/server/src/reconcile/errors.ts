import { BaseError } from '@accesspoint/core'

export type ReconcileChainErrorParameters = {
  /** What could not be read, for the operator. */
  reason: string
  /** What to do about it. */
  fix?: string | undefined
  cause?: unknown
}

export type ReconcileChainErrorType = ReconcileChainError & { name: 'ReconcileChainError' }

/**
 * The chain could not be read well enough to compare it with the ledger. Reconciliation stops
 * rather than report discrepancies it cannot vouch for.
 */
export class ReconcileChainError extends BaseError {
  declare readonly code: 'CHAIN_UNAVAILABLE'

  constructor({ reason, fix, cause }: ReconcileChainErrorParameters) {
    super(`Cannot reconcile settlement: ${reason}${fix ? ` ${fix}` : ''}`, {
      code: 'CHAIN_UNAVAILABLE',
      cause,
      // Explicit: details derived from an RPC error would carry the RPC URL (and its API key).
      details: reason,
      docsPath: '/settlement#reconcile',
      name: 'ReconcileChainError',
    })
  }
}
