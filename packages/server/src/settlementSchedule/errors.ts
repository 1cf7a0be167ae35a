import { BaseError } from '@accesspoint/core'

export type SettlementNotConfiguredErrorType = SettlementNotConfiguredError & {
  name: 'SettlementNotConfiguredError'
}

/** This server has no settlement key, so it cannot settle (or reconcile) on demand. */
export class SettlementNotConfiguredError extends BaseError {
  declare readonly code: 'SERVICE_UNAVAILABLE'

  constructor() {
    super(
      'Settlement is not configured on this server: set SETTLEMENT_PRIVATE_KEY to a key with the AccessPass BILLING_ROLE and restart it.',
      {
        code: 'SERVICE_UNAVAILABLE',
        details: 'No settlement key.',
        docsPath: '/settlement',
        name: 'SettlementNotConfiguredError',
      },
    )
  }
}

export type SettlementBusyErrorType = SettlementBusyError & { name: 'SettlementBusyError' }

/** Another settlement run holds the lock (on this instance or another); one runs at a time. */
export class SettlementBusyError extends BaseError {
  declare readonly code: 'CONFLICT'

  constructor() {
    super(
      'A settlement is already running (on this or another instance). Try again when it has finished.',
      { code: 'CONFLICT', docsPath: '/settlement', name: 'SettlementBusyError' },
    )
  }
}

export type SettlementBatchNotFoundErrorParameters = { batchId: string }

export type SettlementBatchNotFoundErrorType = SettlementBatchNotFoundError & {
  name: 'SettlementBatchNotFoundError'
}

/** No settlement batch with this id. */
export class SettlementBatchNotFoundError extends BaseError {
  declare readonly code: 'NOT_FOUND'
  readonly batchId: string

  constructor({ batchId }: SettlementBatchNotFoundErrorParameters) {
    super(`There is no settlement batch ${batchId}. List them with admin.settlements.`, {
      code: 'NOT_FOUND',
      docsPath: '/settlement',
      name: 'SettlementBatchNotFoundError',
    })
    this.batchId = batchId
  }
}

export type SettlementBatchNotRetryableErrorParameters = {
  batchId: string
  /** Why, e.g. `it is CONFIRMED`. */
  reason: string
}

export type SettlementBatchNotRetryableErrorType = SettlementBatchNotRetryableError & {
  name: 'SettlementBatchNotRetryableError'
}

/**
 * A batch retry cannot help: a CONFIRMED batch is done (the contract would refuse its id again),
 * and a batch of another contract is not this server's to settle.
 */
export class SettlementBatchNotRetryableError extends BaseError {
  declare readonly code: 'CONFLICT'
  readonly batchId: string

  constructor({ batchId, reason }: SettlementBatchNotRetryableErrorParameters) {
    super(
      `Settlement batch ${batchId} cannot be retried: ${reason}. Only a PENDING, SUBMITTED or FAILED batch of this server's contract can.`,
      { code: 'CONFLICT', docsPath: '/settlement', name: 'SettlementBatchNotRetryableError' },
    )
    this.batchId = batchId
  }
}
