import { BaseError } from '@accesspoint/core'

export type GenerationNotFoundErrorType = GenerationNotFoundError & {
  name: 'GenerationNotFoundError'
}

/** A resume (`lastEventId`) for a generation this server no longer has, or never had. */
export class GenerationNotFoundError extends BaseError {
  declare readonly code: 'NOT_FOUND'
  constructor(requestId: string) {
    super('That generation cannot be resumed here any more. Send the request again.', {
      code: 'NOT_FOUND',
      details: `No generation ${requestId} for this wallet on this server.`,
      docsPath: '/ai#streaming',
      name: 'GenerationNotFoundError',
    })
  }
}

export type IdempotencyConflictErrorType = IdempotencyConflictError & {
  name: 'IdempotencyConflictError'
}

/** An `Idempotency-Key` reused for a different request, or whose first request is still running elsewhere. */
export class IdempotencyConflictError extends BaseError {
  declare readonly code: 'CONFLICT'
  constructor(shortMessage: string) {
    super(shortMessage, {
      code: 'CONFLICT',
      docsPath: '/ai#idempotency',
      name: 'IdempotencyConflictError',
    })
  }
}
