import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAccessPointClient } from '@accesspoint/client'
import { devAccounts } from '@accesspoint/contracts'
import { Redis } from 'ioredis'
import { privateKeyToAccount } from 'viem/accounts'
import { freePort } from '../../support/freePort.js'
import { createPostgresDatabase } from '../../support/postgres.js'
import { spawnServer } from './spawnServer.js'

export type BenchProfile = 'embedded' | 'postgres+redis'

export type BenchSystem = {
  profile: BenchProfile
  url: string
  /** An API key of dev account 1 (pass #1), for `/v1`. */
  apiKey: string
  /** Text of the server's /metrics. */
  metrics(): Promise<string>
  stop(): Promise<void>
}

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * `apps/server` as deployed (env → config → listen), on the embedded defaults or on PostgreSQL +
 * Redis, with the dev provider answering at once and limits out of the way; signed in as dev
 * account 1 with an API key. `env` adds to or overrides the server's environment (e.g.
 * `DEV_FIRST_TOKEN_DELAY_MS`).
 */
export async function startBenchSystem(
  profile: BenchProfile,
  env: Record<string, string> = {},
): Promise<BenchSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ap-bench-'))
  const postgres = profile === 'postgres+redis' ? await createPostgresDatabase() : undefined
  const redisPrefix = `ap-bench:${process.pid}:${Date.now()}:`
  const server = await spawnServer(await freePort(), {
    DATA_DIR: dataDir,
    // Info, as in production: request logs are part of the cost of a request.
    LOG_LEVEL: 'info',
    DEV_TOKEN_DELAY_MS: '0',
    RATE_LIMIT_PER_IP: '100000000/60',
    RATE_LIMIT_PER_WALLET: '100000000/60',
    RATE_LIMIT_PER_API_KEY: '100000000/60',
    SETTLEMENT_INTERVAL: 'off',
    ...(postgres
      ? {
          DATABASE_URL: postgres.url,
          MIGRATE_ON_START: 'true',
          SEED_ON_START: 'true',
          REDIS_URL: redisUrl,
          REDIS_KEY_PREFIX: redisPrefix,
        }
      : {}),
    ...env,
  })
  const account = privateKeyToAccount(devAccounts[1]?.privateKey ?? '0x')
  const client = createAccessPointClient({ url: server.url, account })
  const { secret } = await client.keys.create({ name: 'bench' })
  return {
    profile,
    url: server.url,
    apiKey: secret,
    metrics: () => fetch(`${server.url}/metrics`).then((response) => response.text()),
    async stop() {
      await server.stop()
      await postgres?.drop()
      if (postgres) {
        const redis = new Redis(redisUrl)
        const keys = await redis.keys(`${redisPrefix}*`)
        if (keys.length > 0) await redis.del(...keys)
        redis.disconnect()
      }
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
