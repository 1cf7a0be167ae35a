import type { FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify'
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import {
  type CreateDatabaseParameters,
  createDatabase,
  type Database,
} from './db/createDatabase.js'
import { applyMigrations } from './db/migrations/applyMigrations.js'
import { readMigrations } from './db/migrations/readMigrations.js'
import { seedDatabase } from './db/seed/seedDatabase.js'
import { getDiscoveryDocument } from './http/getDiscoveryDocument.js'
import { registerHealthRoutes } from './http/registerHealthRoutes.js'
import { getRequestId } from './http/requestId.js'
import { sendError } from './http/sendError.js'
import { type AppRouter, appRouter } from './trpc/appRouter.js'
import type { Context } from './trpc/context.js'

export type AccessPointConfig = {
  /** Shown in the discovery document. */
  name?: string | undefined
  database: CreateDatabaseParameters
  migrations: {
    /** `prisma/migrations`. */
    dir: string
    /** Apply pending migrations before serving (always on for the embedded database). */
    applyOnStart: boolean
  }
  /** Load the price list and demo wallets at start (idempotent). */
  seedOnStart?: boolean | undefined
  siwe: {
    /** The RFC 3986 authority users sign in from, e.g. `app.example.com` or `localhost:5173`. */
    domain: string
    /** The origin users sign in from, e.g. `https://app.example.com`. */
    uri: string
    chainIds: readonly number[]
  }
  /** pino options (or false to disable logging). */
  logger?: FastifyServerOptions['logger']
}

export type AccessPoint = {
  app: FastifyInstance
  database: Database
  /** Stops accepting requests, lets in-flight ones finish, closes the database. */
  close(): Promise<void>
}

export type CreateAccessPointReturnType = AccessPoint

/**
 * Builds the AccessPoint HTTP app: opens the database (migrating it when told to), then serves
 * tRPC at `/trpc`, `/healthz`, `/readyz` and `/.well-known/accesspoint`.
 */
export async function createAccessPoint(config: AccessPointConfig): Promise<AccessPoint> {
  const database = await createDatabase(config.database)
  try {
    const { migrationDirectories } = await readMigrations({ migrationsDir: config.migrations.dir })
    const expectedMigrations = migrationDirectories.map((migration) => migration.path)
    if (config.migrations.applyOnStart || database.kind === 'embedded') {
      await applyMigrations({
        database,
        migrationsDir: config.migrations.dir,
      })
    }
    if (config.seedOnStart) await seedDatabase({ database, demo: true })

    const discovery = getDiscoveryDocument({
      name: config.name ?? 'AccessPoint',
      siwe: config.siwe,
    })
    const app = Fastify({
      logger: config.logger ?? false,
      genReqId: getRequestId,
      // Idle keep-alive sockets are closed at once on shutdown; busy ones finish their request.
      forceCloseConnections: 'idle',
      return503OnClosing: true,
    })
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id)
    })
    app.setErrorHandler(sendError)
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({
        error: {
          code: 'NOT_FOUND',
          message: `No route for ${request.method} ${request.url.split('?')[0]}.`,
          requestId: request.id,
        },
      }),
    )
    app.addHook('onClose', async () => {
      await database.close()
    })

    registerHealthRoutes(app, { database, expectedMigrations })
    app.get('/.well-known/accesspoint', async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=60')
      return discovery
    })
    await app.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: {
        router: appRouter,
        createContext: ({ req }): Context => ({
          requestId: req.id,
          log: req.log,
          database,
          discovery,
        }),
        onError({ error, path, ctx }) {
          if (error.code === 'INTERNAL_SERVER_ERROR')
            ctx?.log.error({ err: error.cause ?? error, path }, 'tRPC procedure failed')
        },
      } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
    })

    return { app, database, close: () => app.close() }
  } catch (error) {
    await database.close()
    throw error
  }
}
