import { InvalidInputError } from '@accesspoint/core'
import type { FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify'
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify'
import { type Address, createPublicClient, type Hex, http, type PublicClient } from 'viem'
import {
  type CreateAccessResolverParameters,
  createAccessResolver,
} from './access/createAccessResolver.js'
import { createSharedFactStore } from './access/createSharedFactStore.js'
import { defaultRoles } from './access/defaultRoles.js'
import type { RolesConfig } from './access/types.js'
import { createGenerationRegistry } from './ai/createGenerationRegistry.js'
import { createSessionStore } from './auth/createSessionStore.js'
import {
  type CreateSignInRateLimitsParameters,
  createSignInRateLimits,
} from './auth/createSignInRateLimits.js'
import { RateLimitedError } from './auth/errors.js'
import { pruneNonces } from './auth/pruneNonces.js'
import { createHoldWriter } from './billing/createHoldWriter.js'
import { createLedgerWriter } from './billing/createLedgerWriter.js'
import { createPriceCache } from './billing/createPriceCache.js'
import { recoverOpenHolds } from './billing/recoverOpenHolds.js'
import {
  type CreateDatabaseParameters,
  createDatabase,
  type Database,
} from './db/createDatabase.js'
import { applyMigrations } from './db/migrations/applyMigrations.js'
import { readMigrations } from './db/migrations/readMigrations.js'
import { seedDatabase } from './db/seed/seedDatabase.js'
import { createLazyChildLogger } from './http/createLazyChildLogger.js'
import { createRequestLogController } from './http/createRequestLogController.js'
import { getDiscoveryDocument } from './http/getDiscoveryDocument.js'
import { getRequestScope } from './http/getRequestScope.js'
import { registerOpenAIRoutes } from './http/openai/registerOpenAIRoutes.js'
import { registerHealthRoutes } from './http/registerHealthRoutes.js'
import { registerObservability } from './http/registerObservability.js'
import { getRequestId } from './http/requestId.js'
import { sendClientError } from './http/sendClientError.js'
import { sendError } from './http/sendError.js'
import { withRequestSerializer } from './http/withRequestSerializer.js'
import { createApiKeyStore } from './keys/createApiKeyStore.js'
import { createMetrics } from './metrics/createMetrics.js'
import { createPassDirectory } from './passes/createPassDirectory.js'
import {
  createProviderRegistry,
  type ProviderModelConfig,
} from './providers/createProviderRegistry.js'
import { type DefaultProvidersParameters, defaultProviders } from './providers/defaultProviders.js'
import { ProviderUnavailableError } from './providers/errors.js'
import {
  type CreateRequestRateLimitsParameters,
  createRequestRateLimits,
} from './rateLimits/createRequestRateLimits.js'
import { getRateLimitHeaders } from './rateLimits/getRateLimitHeaders.js'
import type { RunSettlementParameters } from './settlement/runSettlement.js'
import { createSettlementChain } from './settlementSchedule/createSettlementChain.js'
import {
  createSettlementRunner,
  type SettlementRunner,
} from './settlementSchedule/createSettlementRunner.js'
import {
  type SettlementSchedule,
  startSettlementSchedule,
} from './settlementSchedule/startSettlementSchedule.js'
import { createRedis, type SharedRedis } from './shared/createRedis.js'
import { shareInvalidations } from './shared/shareInvalidations.js'
import { type AppRouter, appRouter } from './trpc/appRouter.js'
import type { Context, Services } from './trpc/context.js'

// The largest request body (Fastify's default), for tRPC's own body reading too.
const bodyLimit = 1024 * 1024

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
    /**
     * The RFC 3986 authority users sign in from, e.g. `app.example.com` or `localhost:5173`, or
     * several (`www.` and the apex, say); the first is the one clients are told to use.
     */
    domain: string | readonly string[]
    /** The origin(s) users sign in from, e.g. `https://app.example.com`; same-origin match. */
    uri: string | readonly string[]
    /** Chains a sign-in message may name. */
    chainIds: readonly number[]
    /** How long a nonce can be used. Default 5 minutes. */
    nonceTtlMs?: number | undefined
    /** A message issued longer ago than this is refused. Default 10 minutes. */
    maxAgeMs?: number | undefined
    /** The longest session one signature opens. Default 24 hours. */
    sessionMaxMs?: number | undefined
    rateLimits?: CreateSignInRateLimitsParameters | undefined
  }
  /**
   * Request rate limits for authenticated tRPC procedures and `/v1`: per IP (before
   * authentication), per wallet (all its sessions and keys), per API key, and per role (a role's
   * rule replaces the wallet and key defaults; the most generous of a wallet's roles applies).
   * Token buckets; defaults 24000/min per IP, 12000/min per wallet, 6000/min per key. With
   * `redis` the buckets are shared by every instance. Sign-in has its own limits
   * (`siwe.rateLimits`).
   */
  rateLimits?: CreateRequestRateLimitsParameters | undefined
  /** JSON-RPC endpoint per chain: roles and passes are read there, contract wallets verified. */
  chains?: readonly { chainId: number; rpcUrl: string }[] | undefined
  /** AccessPass contracts: their holders are `holder`s and their passes are listed and billed. */
  passContracts?: readonly { chainId: number; address: Address }[] | undefined
  /**
   * Role name → rule over on-chain facts. Default: `holder` holds an AccessPass, `admin` has the
   * AccessPass admin role or is in `adminAddresses`.
   */
  roles?: RolesConfig | undefined
  adminAddresses?: readonly Address[] | undefined
  /** AI providers, models and per-request limits. */
  ai?:
    | (DefaultProvidersParameters & {
        /** Extra models (e.g. served by an OpenAI-compatible server); they need prices too. */
        models?: readonly ProviderModelConfig[] | undefined
        /** The most one request may cost, worst case. Default $1. */
        capMicroUsd?: bigint | undefined
        /** `max_tokens` when a request names none. Default 1024. */
        defaultMaxTokens?: number | undefined
        /** Open holds older than this are released at start-up and periodically. Default 15 min. */
        holdTtlMs?: number | undefined
      })
    | undefined
  /** Cache lifetimes and chain polling for roles and passes. */
  access?: Pick<CreateAccessResolverParameters, 'ttl' | 'pollingIntervalMs' | 'watch'> | undefined
  /**
   * Which proxies' `X-Forwarded-For` to believe, so rate limits and logs see the client's IP,
   * not the load balancer's (Fastify's `trustProxy`: true, a hop count, or addresses/CIDRs).
   */
  trustProxy?: FastifyServerOptions['trustProxy']
  /** pino options (or false to disable logging). */
  logger?: FastifyServerOptions['logger']
  /**
   * Shared state across instances: sign-in and request rate-limit counters and revocation / access-cache
   * invalidations (pub/sub). Unset: everything stays in-process (one instance). While Redis is
   * unreachable the server keeps serving in a degraded mode (see README "Production").
   */
  redis?:
    | {
        /** `redis://[:password@]host:6379[/db]`, `rediss://` for TLS. */
        url: string
        /** Prefix of every key and channel. Default `accesspoint:`. */
        keyPrefix?: string | undefined
      }
    | undefined
  /**
   * How long an instance trusts a cached session or API key before reading it again. Default
   * 30 s. Revocations apply at once on the instance that made them, and with Redis on every
   * instance; this bounds how late another instance notices when Redis is down or unset.
   */
  authCacheTtlMs?: number | undefined
  /**
   * Deducting the charges from the passes' on-chain credit (`AccessPass.settle`). Without it the
   * server records charges but never settles them (another process may).
   */
  settlement?:
    | {
        /** An account with the AccessPass BILLING_ROLE: it sends `settle` and pays the gas. */
        privateKey: Hex
        /** Whose AccessPass (from `passContracts`) and RPC (from `chains`). Default: the first pass contract's. */
        chainId?: number | undefined
        /** Charges captured longer ago than this are settled. */
        delayMs: number
        /** Settle every this often; 0 or undefined: only on demand (`admin.runSettlement`). */
        intervalMs?: number | undefined
        /** Until the first scheduled run. Default: the interval, at most 5 minutes. */
        initialDelayMs?: number | undefined
        /** Blocks on top of a settlement transaction before its charges count as settled. */
        confirmations?: number | undefined
        batch?: RunSettlementParameters['batch']
        /** Where reconciliation reads logs from. Default: the contract's deployment block. */
        fromBlock?: bigint | undefined
        /** Receipt and block polling. Default 1 s. */
        pollingIntervalMs?: number | undefined
      }
    | undefined
}

export type AccessPoint = {
  app: FastifyInstance
  database: Database
  /** Shared parts (stores, chain access); tests and tools reach in here. */
  services: Services
  /** The Redis clients when `redis` is configured. */
  redis: SharedRedis | undefined
  /** Stops accepting requests, lets in-flight ones finish, closes the database. */
  close(): Promise<void>
}

export type CreateAccessPointReturnType = AccessPoint

/**
 * Builds the AccessPoint HTTP app: opens the database (migrating it when told to), then serves
 * tRPC at `/trpc`, `/healthz`, `/readyz` and `/.well-known/accesspoint`.
 */
export async function createAccessPoint(config: AccessPointConfig): Promise<AccessPoint> {
  const settlementTarget = resolveSettlementTarget(config)
  const database = await createDatabase(config.database)
  let redis: SharedRedis | undefined
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

    const siwe = resolveSiweOptions(config.siwe)
    const discovery = getDiscoveryDocument({
      name: config.name ?? 'AccessPoint',
      siwe,
      passContracts: config.passContracts,
    })
    const app = Fastify({
      logger: withRequestSerializer(config.logger),
      logController: createRequestLogController(),
      childLoggerFactory: (logger, bindings, options) =>
        createLazyChildLogger(logger, bindings, options),
      genReqId: getRequestId,
      trustProxy: config.trustProxy ?? false,
      // Idle keep-alive sockets are closed at once on shutdown; busy ones finish their request.
      forceCloseConnections: 'idle',
      return503OnClosing: true,
      bodyLimit,
      // Refusals before routing (bad URL encoding, over-long params, unparsable HTTP) get our
      // stable codes too, not Fastify's own bodies.
      frameworkErrors: sendError,
      clientErrorHandler: sendClientError,
      // A tRPC batch names its procedures in the path (`/trpc/a,b,c?batch=1`): Fastify's default
      // of 100 characters refuses batches of five or so with a 414 (tRPC's docs say to raise it).
      routerOptions: { maxParamLength: 5_000 },
    })
    redis = config.redis && createRedis({ ...config.redis, logger: app.log })
    const services = createServices(config, {
      database,
      discovery,
      siwe,
      log: app.log,
      settlementTarget,
      redis,
    })
    // Subscribed before the first request, or degraded (logged) when Redis does not answer.
    await redis?.start()
    registerObservability(app, {
      metrics: services.metrics,
      trpcPrefix: '/trpc',
      procedures: new Set(Object.keys(appRouter._def.procedures)),
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
    let schedule: SettlementSchedule | undefined
    let scheduleStopped: Promise<void> | undefined
    // Before in-flight requests are awaited: an admin's settlement run could outlast the grace
    // period. A run stops at its next safe point; a batch written before sending is resumed by
    // the next run, so stopping loses nothing.
    app.addHook('preClose', async () => {
      services.settlement?.close()
      scheduleStopped = schedule?.stop()
    })
    app.addHook('onClose', async () => {
      clearInterval(nonceSweep)
      clearInterval(holdSweep)
      await (scheduleStopped ?? schedule?.stop())
      // In-flight holds and charges are committed before the database goes away.
      await services.holds.close()
      await services.ledger.close()
      await services.providers.close()
      await services.access.close()
      await redis?.close()
      await database.close()
    })
    // Used and expired nonces are useless; sweep them so the table stays small.
    const nonceSweep = setInterval(() => {
      pruneNonces({ database }).catch((error: unknown) =>
        app.log.warn({ err: error }, 'could not prune SIWE nonces'),
      )
    }, 10 * 60_000).unref()

    // Holds left open by a crash (or by a request that outlived its TTL) are released: no usage
    // report, no charge. The count goes to the log (and to metrics when they land).
    const releaseStaleHolds = () =>
      recoverOpenHolds({ database, logger: app.log }).then(
        ({ released, releasedMicroUsd }) => {
          services.metrics.holdsRecovered.inc(released)
          services.metrics.holdsRecoveredMicroUsd.inc(Number(releasedMicroUsd))
          if (released > 0)
            app.log.warn(
              { released, releasedMicroUsd: String(releasedMicroUsd) },
              'released expired holds',
            )
        },
        (error: unknown) => app.log.warn({ err: error }, 'could not release expired holds'),
      )
    await releaseStaleHolds()
    const holdSweep = setInterval(releaseStaleHolds, 60_000).unref()
    registerHealthRoutes(app, { database, expectedMigrations })
    app.get('/metrics', async (_request, reply) => {
      reply.header('content-type', services.metrics.registry.contentType)
      return services.metrics.registry.metrics()
    })
    await registerOpenAIRoutes(app, { services })
    app.get('/.well-known/accesspoint', async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=60')
      return discovery
    })
    await app.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: {
        router: appRouter,
        // tRPC's multipart/form-data parser streams the raw body past Fastify's bodyLimit; without
        // this, one unauthenticated upload is buffered whole, however large.
        maxBodySize: bodyLimit,
        createContext: ({ req }): Context => ({
          requestId: req.id,
          log: req.log,
          scope: getRequestScope(req),
          ip: req.ip,
          userAgent: req.headers['user-agent'],
          authorization: req.headers.authorization,
          services,
          rateLimits: [],
        }),
        responseMeta({ ctx, errors }) {
          const headers = new Headers(getRateLimitHeaders(ctx?.rateLimits ?? []))
          const retryAfter = errors
            .map((error) => error.cause)
            .find(
              (cause) =>
                cause instanceof RateLimitedError || cause instanceof ProviderUnavailableError,
            )
          if (retryAfter) headers.set('retry-after', String(retryAfter.retryAfterSeconds))
          return { headers }
        },
        onError({ error, path, ctx }) {
          if (error.code === 'INTERNAL_SERVER_ERROR')
            ctx?.log.error({ err: error.cause ?? error, path }, 'tRPC procedure failed')
        },
      } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
    })

    // Last, so a failed start-up leaves no schedule behind.
    if (services.settlement && config.settlement?.intervalMs)
      schedule = startSettlementSchedule({
        runner: services.settlement,
        intervalMs: config.settlement.intervalMs,
        initialDelayMs: config.settlement.initialDelayMs,
        logger: app.log,
      })
    return { app, database, services, redis, close: () => app.close() }
  } catch (error) {
    await redis?.close()
    await database.close()
    throw error
  }
}

function toList(value: string | readonly string[], name: string): readonly [string, ...string[]] {
  const [first, ...rest] = typeof value === 'string' ? [value] : value
  if (first === undefined)
    throw new InvalidInputError(`siwe.${name} must name at least one ${name}.`, {
      issues: [{ path: `siwe.${name}`, message: 'empty list' }],
    })
  return [first, ...rest]
}

type SettlementTarget = { rpcUrl: string; chainId: number; contract: Address }

// Checked before anything is opened, so a bad config leaves nothing running.
function resolveSettlementTarget(config: AccessPointConfig): SettlementTarget | undefined {
  const settlement = config.settlement
  if (!settlement) return undefined
  const passContracts = config.passContracts ?? []
  const pass =
    settlement.chainId === undefined
      ? passContracts[0]
      : passContracts.find((contract) => contract.chainId === settlement.chainId)
  const rpc = pass && config.chains?.find((chain) => chain.chainId === pass.chainId)
  if (!pass || !rpc)
    throw new InvalidInputError(
      'settlement needs an AccessPass contract (passContracts) and an RPC URL (chains) on its chain.',
      {
        issues: [
          {
            path: 'settlement.chainId',
            message: `no pass contract with an RPC URL on chain ${settlement.chainId ?? 'of the first pass contract'}`,
          },
        ],
      },
    )
  return { rpcUrl: rpc.rpcUrl, chainId: pass.chainId, contract: pass.address }
}

function createSettlement(
  config: AccessPointConfig,
  target: SettlementTarget | undefined,
  {
    database,
    metrics,
    access,
    log,
  }: Pick<Services, 'database' | 'metrics' | 'access'> & { log: FastifyBaseLogger },
): SettlementRunner | undefined {
  const settlement = config.settlement
  if (!settlement || !target) return undefined
  return createSettlementRunner({
    database,
    chain: createSettlementChain({
      ...target,
      privateKey: settlement.privateKey,
      pollingIntervalMs: settlement.pollingIntervalMs,
    }),
    delayMs: settlement.delayMs,
    confirmations: settlement.confirmations,
    batch: settlement.batch,
    fromBlock: settlement.fromBlock,
    metrics,
    logger: log,
    onProgress(event) {
      if (event.type !== 'batch-confirmed') return
      // The deduction is applied to pending in the database now; the credit this process cached
      // before it must go at once, or for a moment both would count (and overstate what is
      // available). Other instances drop theirs when their chain watcher sees the `Settled` logs.
      void database.prisma.settlementItem
        .findMany({
          where: { batchId: event.batchId },
          select: { pass: { select: { ownerAddress: true } } },
        })
        .then((items) => {
          for (const { pass } of items) if (pass.ownerAddress) access.invalidate(pass.ownerAddress)
        })
        .catch((error: unknown) =>
          log.warn({ err: error }, 'settlement: could not drop cached credit'),
        )
    },
  })
}

function resolveSiweOptions(siwe: AccessPointConfig['siwe']): Services['siwe'] {
  const domains = toList(siwe.domain, 'domain')
  const uris = toList(siwe.uri, 'uri')
  return {
    domain: domains[0],
    uri: uris[0],
    domains,
    uris,
    chainIds: siwe.chainIds,
    nonceTtlMs: siwe.nonceTtlMs ?? 5 * 60_000,
    maxAgeMs: siwe.maxAgeMs ?? 10 * 60_000,
    sessionMaxMs: siwe.sessionMaxMs ?? 24 * 60 * 60_000,
  }
}

function createServices(
  config: AccessPointConfig,
  {
    database,
    discovery,
    siwe,
    log,
    settlementTarget,
    redis,
  }: Pick<Services, 'database' | 'discovery' | 'siwe'> & {
    log: FastifyBaseLogger
    settlementTarget: SettlementTarget | undefined
    redis: SharedRedis | undefined
  },
): Services {
  const chains = config.chains ?? []
  const clients = new Map<number, PublicClient>(
    chains.map(({ chainId, rpcUrl }) => [
      chainId,
      createPublicClient({ transport: http(rpcUrl, { timeout: 3_000, retryCount: 1 }) }),
    ]),
  )
  const passContracts = config.passContracts ?? []
  const [firstPass] = passContracts
  const roles =
    config.roles ??
    (firstPass
      ? defaultRoles({
          chainId: firstPass.chainId,
          accessPass: firstPass.address,
          adminAddresses: config.adminAddresses ?? [],
        })
      : {})
  const access = createAccessResolver({
    chains,
    roles,
    passContracts,
    logger: log,
    shared: redis && createSharedFactStore({ client: redis.client, keyPrefix: redis.keyPrefix }),
    ...config.access,
  })
  const {
    models: extraModels = [],
    capMicroUsd,
    defaultMaxTokens,
    holdTtlMs,
    ...providerOptions
  } = config.ai ?? {}
  const defaults = defaultProviders(providerOptions)
  const ledger = createLedgerWriter({
    database,
    logger: log,
    // Only called once a batch commits, long after `metrics` below exists.
    onCommit({ entries, durationMs }) {
      metrics.ledger.batchSize.observe(entries)
      metrics.ledger.commitDuration.observe(durationMs / 1000)
    },
  })
  const providers = createProviderRegistry({
    providers: defaults.providers,
    models: [...defaults.models, ...extraModels],
  })
  const authCache = { ttlMs: config.authCacheTtlMs }
  const localSessions = createSessionStore({ database, cache: authCache })
  const localApiKeys = createApiKeyStore({ database, cache: authCache })
  // With Redis, revocations and access invalidations reach every instance at once.
  const { sessions, apiKeys } = redis
    ? shareInvalidations({ redis, sessions: localSessions, apiKeys: localApiKeys, access })
    : { sessions: localSessions, apiKeys: localApiKeys }
  const metrics = createMetrics({
    ledger,
    access,
    database,
    providers,
    auth: { sessions, apiKeys },
  })
  return {
    database,
    discovery,
    metrics,
    settlement: createSettlement(config, settlementTarget, { database, metrics, access, log }),
    providers,
    prices: createPriceCache({ database, logger: log }),
    holds: createHoldWriter({
      database,
      onCommit({ holds, durationMs }) {
        metrics.holdBatches.size.observe(holds)
        metrics.holdBatches.duration.observe(durationMs / 1000)
      },
    }),
    ledger,
    passes: createPassDirectory({ database }),
    generations: createGenerationRegistry(),
    ai: {
      capMicroUsd: capMicroUsd ?? 1_000_000n,
      defaultMaxTokens: defaultMaxTokens ?? 1024,
      holdTtlMs: holdTtlMs ?? 15 * 60_000,
    },
    sessions,
    apiKeys,
    access,
    clients,
    signInLimits: createSignInRateLimits(config.siwe.rateLimits, {
      redis: redis && { client: redis.client, keyPrefix: redis.keyPrefix },
    }),
    requestLimits: createRequestRateLimits(config.rateLimits, {
      redis: redis && { client: redis.client, keyPrefix: redis.keyPrefix },
    }),
    siwe,
  }
}
