import { type AccessPoint, createAccessPoint } from '@accesspoint/server'
import type { ServerConfig } from './config/loadConfig.js'

export type StartServerReturnType = AccessPoint & {
  /** e.g. `http://127.0.0.1:8787` */
  url: string
}

/** Builds the app from a validated config and listens on HOST:PORT. */
export async function startServer(config: ServerConfig): Promise<StartServerReturnType> {
  const pretty = config.nodeEnv === 'development' && process.stdout.isTTY
  const accessPoint = await createAccessPoint({
    name: config.serviceName,
    database: config.database,
    migrations: { dir: config.migrationsDir, applyOnStart: config.migrateOnStart },
    seedOnStart: config.seedOnStart,
    siwe: config.siwe,
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
      ...(pretty
        ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
        : {}),
    },
  })
  try {
    const address = await accessPoint.app.listen({ host: config.host, port: config.port })
    return { ...accessPoint, url: address }
  } catch (error) {
    await accessPoint.close()
    throw error
  }
}
