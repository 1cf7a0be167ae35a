import { createServer } from 'node:net'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { createTestRedisPrefix } from '../../test/testRedis.js'
import { createSignInRateLimits } from '../auth/createSignInRateLimits.js'
import { RateLimitedError } from '../auth/errors.js'
import { createRedis, type SharedInvalidation } from './createRedis.js'

let redis: Awaited<ReturnType<typeof createTestRedisPrefix>>
beforeAll(async () => {
  redis = await createTestRedisPrefix()
})
afterAll(() => redis?.cleanup())

function createLogger() {
  return { info: vi.fn(), warn: vi.fn() }
}

// A port nothing listens on: connections are refused at once.
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

test('an invalidation reaches the other instances, not the publisher, and not another deployment', async () => {
  const logger = createLogger()
  const [a, b, other] = [
    createRedis({ url: redis.url, keyPrefix: redis.keyPrefix, logger }),
    createRedis({ url: redis.url, keyPrefix: redis.keyPrefix, logger }),
    createRedis({ url: redis.url, keyPrefix: `${redis.keyPrefix}other:`, logger }),
  ]
  try {
    await Promise.all([a.start(), b.start(), other.start()])
    const seen = { a: [] as SharedInvalidation[], b: [] as SharedInvalidation[], other: 0 }
    a.subscribe((event) => seen.a.push(event))
    b.subscribe((event) => seen.b.push(event))
    other.subscribe(() => seen.other++)
    await a.publish({ type: 'session', sessionId: 's1' })
    await vi.waitFor(() => expect(seen.b).toEqual([{ type: 'session', sessionId: 's1' }]))
    expect(seen.a).toEqual([])
    expect(seen.other).toBe(0)
    expect(logger.warn).not.toHaveBeenCalled()
  } finally {
    await Promise.all([a.close(), b.close(), other.close()])
  }
})

test('sign-in limits on one Redis are shared by two instances', async () => {
  const shared = createRedis({ url: redis.url, keyPrefix: redis.keyPrefix, logger: createLogger() })
  const other = createRedis({ url: redis.url, keyPrefix: redis.keyPrefix, logger: createLogger() })
  try {
    await Promise.all([shared.start(), other.start()])
    const rules = { perIp: { points: 2, windowSeconds: 60 } }
    const a = createSignInRateLimits(rules, { redis: shared })
    const b = createSignInRateLimits(rules, { redis: other })
    await a.consumeIp('203.0.113.7')
    await b.consumeIp('203.0.113.7')
    const error = await a.consumeIp('203.0.113.7').catch((error: unknown) => error)
    expect(error).toBeInstanceOf(RateLimitedError)
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1)
    // Another IP has its own count.
    await b.consumeIp('203.0.113.8')
  } finally {
    await Promise.all([shared.close(), other.close()])
  }
})

test('Redis unreachable: start and publish do not throw, one warning, limits still apply per instance', async () => {
  const logger = createLogger()
  const down = createRedis({
    url: `redis://127.0.0.1:${await closedPort()}`,
    logger,
    connectTimeoutMs: 300,
  })
  try {
    await down.start()
    expect(down.isSubscribed()).toBe(false)
    await down.publish({ type: 'apiKey', apiKeyId: 'k1' })
    await down.publish({ type: 'apiKey', apiKeyId: 'k2' })
    const limits = createSignInRateLimits(
      { perAddress: { points: 1, windowSeconds: 60 } },
      { redis: down },
    )
    await limits.consumeAddress('0xAbC')
    await expect(limits.consumeAddress('0xabc')).rejects.toBeInstanceOf(RateLimitedError)
    expect(logger.warn).toHaveBeenCalledTimes(1)
    expect(logger.warn.mock.calls[0]?.[1]).toContain('degraded mode')
  } finally {
    await down.close()
  }
})
