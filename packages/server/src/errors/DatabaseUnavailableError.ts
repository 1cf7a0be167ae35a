import { BaseError } from '@accesspoint/core'

export type DatabaseUnavailableErrorType = DatabaseUnavailableError & {
  name: 'DatabaseUnavailableError'
}

/**
 * The database did not answer (down, restarting, out of connections) while a request needed it,
 * e.g. to look up a session or API key. The request is refused (fail closed); a retry after the
 * outage succeeds.
 */
export class DatabaseUnavailableError extends BaseError {
  declare readonly code: 'SERVICE_UNAVAILABLE'

  constructor({ cause }: { cause?: unknown } = {}) {
    super('The service cannot reach its database right now. Try again shortly.', {
      code: 'SERVICE_UNAVAILABLE',
      cause,
      // Explicit, so the cause's message (which may name hosts or SQL) is never sent to clients.
      details: 'The database is unavailable.',
      docsPath: '/errors#service-unavailable',
      name: 'DatabaseUnavailableError',
    })
  }
}
