import { randomBytes } from 'node:crypto'
import { createServer, type Server, Socket } from 'node:net'
import { Redis } from 'ioredis'

/** Redis for tests: TEST_REDIS_URL, default the local server every developer and CI machine has. */
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * A unique key prefix on the test Redis; `cleanup()` deletes every key under it. Throws (the test
 * fails, in CI and locally) when Redis is not reachable, naming the fix.
 */
export async function createTestRedisPrefix(): Promise<{
  url: string
  keyPrefix: string
  cleanup(): Promise<void>
}> {
  const keyPrefix = `aptest:${process.pid}:${randomBytes(4).toString('hex')}:`
  const admin = new Redis(testRedisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3_000,
  })
  admin.on('error', () => {})
  try {
    await admin.connect()
    await admin.ping()
  } catch (error) {
    admin.disconnect()
    throw new Error(
      `Redis is not reachable at ${testRedisUrl.replace(/:[^:@/]+@/, ':***@')} (${String(error)}). ` +
        'Start it (`.ci/run` does, see README) or point TEST_REDIS_URL at a Redis server.',
    )
  }
  return {
    url: testRedisUrl,
    keyPrefix,
    async cleanup() {
      let cursor = '0'
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500)
        cursor = next
        if (keys.length > 0) await admin.del(...keys)
      } while (cursor !== '0')
      await admin.quit()
    },
  }
}

/**
 * A TCP proxy in front of the test Redis that a test can cut (`stop`: listener closed, every
 * connection dropped, so clients see Redis go away) and restore (`start`, same port).
 */
export async function createRedisProxy(): Promise<{
  url: string
  stop(): Promise<void>
  start(): Promise<void>
}> {
  const target = new URL(testRedisUrl)
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((socket) => {
        const upstream = new Socket()
        sockets.add(socket)
        sockets.add(upstream)
        const drop = () => {
          socket.destroy()
          upstream.destroy()
          sockets.delete(socket)
          sockets.delete(upstream)
        }
        socket.on('error', drop).on('close', drop)
        upstream.on('error', drop).on('close', drop)
        upstream.connect(Number(target.port || 6379), target.hostname, () => {
          socket.pipe(upstream).pipe(socket)
        })
      })
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as { port: number }).port
        server = next
        resolve()
      })
    })
  await listen()
  const auth = target.username || target.password ? `${target.username}:${target.password}@` : ''
  return {
    url: `redis://${auth}127.0.0.1:${port}${target.pathname}`,
    async stop() {
      const closing = server
      server = undefined
      for (const socket of sockets) socket.destroy()
      sockets.clear()
      await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()))
    },
    start: listen,
  }
}
