import type { FastifyInstance } from 'fastify'
import type { Database } from '../db/createDatabase.js'
import { getMigrationStatus } from '../db/migrations/getMigrationStatus.js'

export type RegisterHealthRoutesParameters = {
  database: Database
  expectedMigrations: readonly string[]
  /** A readiness check slower than this counts as a failure. */
  timeoutMs?: number | undefined
}

/**
 * `/healthz` (liveness: the process answers) and `/readyz` (readiness: the database answers and
 * every committed migration is applied). Load balancers route only to ready instances.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  { database, expectedMigrations, timeoutMs = 2_000 }: RegisterHealthRoutesParameters,
): void {
  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (request, reply) => {
    reply.header('cache-control', 'no-store')
    try {
      const status = await withTimeout(
        getMigrationStatus({ database, expected: expectedMigrations }),
        timeoutMs,
      )
      if (status.pending.length === 0 && status.failed.length === 0) {
        return { status: 'ready', checks: { database: 'ok', migrations: 'ok' } }
      }
      return reply.status(503).send({
        status: 'unavailable',
        checks: { database: 'ok', migrations: 'pending' },
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: `Database migrations are not applied (pending: ${status.pending.join(', ') || 'none'}; failed: ${status.failed.join(', ') || 'none'}). Run \`pnpm db:migrate\` or set MIGRATE_ON_START=true.`,
          requestId: request.id,
        },
      })
    } catch (err) {
      request.log.warn({ err }, 'readiness check: database unreachable')
      return reply.status(503).send({
        status: 'unavailable',
        checks: { database: 'error', migrations: 'unknown' },
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: 'The database does not answer.',
          requestId: request.id,
        },
      })
    }
  })
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
