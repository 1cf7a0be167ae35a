import { type StartDevChainReturnType, startDevChain } from '@accesspoint/contracts/devChain'
import {
  type AccessPoint,
  type AccessPointConfig,
  createAccessPoint,
  version,
} from '@accesspoint/server'
import pino from 'pino'
import type { ServerConfig } from './config/loadConfig.js'
import { startTracing } from './tracing/startTracing.js'

export type StartServerReturnType = AccessPoint & {
  /** e.g. `http://127.0.0.1:8787` */
  url: string
  /** The local dev chain, when the server started one (no RPC_URL in development). */
  devChain: StartDevChainReturnType | undefined
}

/**
 * Builds the app from a validated config and listens on HOST:PORT. Without RPC_URL it first
 * starts the dev chain (anvil with AccessPass deployed and demo passes minted) and stops it on
 * close. With `config.tracing` it registers the OpenTelemetry SDK and flushes it on close.
 */
export async function startServer(config: ServerConfig): Promise<StartServerReturnType> {
  const pretty = config.nodeEnv === 'development' && process.stdout.isTTY
  const devChain =
    config.chain.kind === 'dev' ? await startDevChain({ port: config.chain.port }) : undefined
  try {
    const chain = devChain
      ? {
          rpcUrl: devChain.rpcUrl,
          chainId: devChain.chainId,
          accessPass: devChain.contracts.accessPass,
        }
      : (config.chain as Extract<ServerConfig['chain'], { kind: 'rpc' }>)
    const accessPoint = await createAccessPoint({
      name: config.serviceName,
      database: config.database,
      redis: config.redis,
      migrations: { dir: config.migrationsDir, applyOnStart: config.migrateOnStart },
      seedOnStart: config.seedOnStart,
      siwe: config.siwe,
      chains: [{ chainId: chain.chainId, rpcUrl: chain.rpcUrl }],
      passContracts: [{ chainId: chain.chainId, address: chain.accessPass }],
      roles: config.roles,
      adminAddresses: config.adminAddresses,
      trustProxy: config.trustProxy,
      rateLimits: config.rateLimits,
      ai: config.ai,
      // Without a key (RPC_URL and no SETTLEMENT_PRIVATE_KEY) this process records charges and
      // leaves settling to another.
      settlement: config.settlement.privateKey
        ? {
            privateKey: config.settlement.privateKey,
            delayMs: config.settlement.delayMs,
            intervalMs: config.settlement.intervalMs,
            confirmations: config.settlement.confirmations,
            fromBlock: config.settlement.fromBlock,
            // anvil mines at once; a real chain's blocks take seconds.
            pollingIntervalMs: devChain ? 100 : 1_000,
          }
        : undefined,
      logger: {
        level: config.logLevel,
        redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
        ...(pretty
          ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
          : // Lines are written in the background, gathered while the last write is under way,
            // instead of one blocking write each (a measured cost of every request under load;
            // see createRequestLogController). pino flushes what is left when the process exits.
            { stream: pino.destination({ dest: 1, sync: false }) }),
      },
    } satisfies AccessPointConfig)
    accessPoint.app.addHook('onClose', async () => {
      await devChain?.stop()
    })
    // After createAccessPoint, before the first request: the library looks its tracer up lazily.
    // Closed last, so spans of the shutdown itself are exported too.
    const tracing =
      config.tracing &&
      startTracing({ ...config.tracing, serviceVersion: version, logger: accessPoint.app.log })
    if (tracing)
      accessPoint.app.addHook('onClose', async () => {
        await tracing.shutdown()
      })
    try {
      const address = await accessPoint.app.listen({ host: config.host, port: config.port })
      return { ...accessPoint, url: address, devChain }
    } catch (error) {
      await accessPoint.close()
      throw error
    }
  } catch (error) {
    await devChain?.stop()
    throw error
  }
}
