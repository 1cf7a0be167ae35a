import { BaseError } from '@accesspoint/core'

export type MigrationErrorType = MigrationError & { name: 'MigrationError' }

/** A migration could not be read, compared or applied; the cause holds the engine's message. */
export class MigrationError extends BaseError {
  constructor(shortMessage: string, { cause }: { cause?: unknown } = {}) {
    super(shortMessage, {
      code: 'INTERNAL',
      cause,
      docsPath: '/database#migrations',
      name: 'MigrationError',
    })
  }
}
