import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'

/** What one instance tells the others to drop from their in-process caches. */
export type SharedInvalidation =
  | { type: 'session'; sessionId: string }
  | { type: 'walletSessions'; walletAddress: string }
  | { type: 'apiKey'; apiKeyId: string }
  | { type: 'access'; address: string }
  /**
   * Local only, never published: the subscription came back after an outage, during which
   * messages may have been missed, so whatever was cached must be read again.
   */
  | { type: 'resync' }

/** The pino subset used here. */
export type RedisLogger = {
  info(object: object, message?: string): void
  warn(object: object, message?: string): void
}

export type CreateRedisParameters = {
  /** `redis://[:password@]host:6379[/db]` or `rediss://` for TLS. */
  url: string
  /** Prefix of every key and channel, so deployments can share one Redis. Default `accesspoint:`. */
  keyPrefix?: string | undefined
  logger: RedisLogger
  /** How long `start()` waits for Redis before serving in degraded mode. Default 3 s. */
  connectTimeoutMs?: number | undefined
}

export type SharedRedis = {
  /** For commands (rate-limit counters). Fails fast while Redis is unreachable. */
  client: Redis
  keyPrefix: string
  /** Connects both clients and subscribes; resolves (degraded) when Redis does not answer in time. */
  start(): Promise<void>
  /** True while invalidations are being received from the other instances. */
  isSubscribed(): boolean
  /**
   * Announces an invalidation. Resolves once this instance's own subscription has received it
   * back (Redis delivers one PUBLISH to every subscriber together, so the other instances have it
   * by then too), after at most 1 s, or at once while Redis is unreachable. Never rejects: a
   * failure is logged (once per outage).
   */
  publish(event: Exclude<SharedInvalidation, { type: 'resync' }>): Promise<void>
  /** Invalidations from the other instances (never this one's own). Returns the unsubscribe. */
  subscribe(listener: (event: SharedInvalidation) => void): () => void
  close(): Promise<void>
}

export type CreateRedisReturnType = SharedRedis

/**
 * Two ioredis clients, one for commands and one subscribed to the deployment's invalidation
 * channel. Both connect lazily, reconnect forever with a backoff capped at 2 s, and fail commands
 * fast while disconnected instead of queueing them, so an outage costs a log line, not latency.
 */
export function createRedis({
  url,
  keyPrefix = 'accesspoint:',
  logger,
  connectTimeoutMs = 3_000,
}: CreateRedisParameters): CreateRedisReturnType {
  const instanceId = randomUUID()
  const channel = `${keyPrefix}invalidations`
  const options = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    // A Redis that accepts the connection but stops answering must not hold requests up either.
    commandTimeout: 1_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2_000),
    // We subscribe ourselves on every `ready` (see below), also after a failed first connect.
    autoResubscribe: false,
  }
  // Commands issued in the same turn of the event loop (one per request: its rate limits) go
  // out as one socket write instead of one each: fewer syscalls per request under load. Only on
  // the command client; the subscriber's commands are rare.
  const client = new Redis(url, { ...options, enableAutoPipelining: true })
  const subscriber = new Redis(url, options)
  const listeners = new Set<(event: SharedInvalidation) => void>()
  // Published messages waiting for their echo on this instance's subscription.
  const echoes = new Map<string, () => void>()
  let sequence = 0
  let closed = false
  let subscribed = false
  // Once per outage: a warning when Redis goes, a line when it is back.
  let degraded = false

  const enterDegraded = (error: unknown) => {
    if (degraded || closed) return
    degraded = true
    logger.warn(
      { err: error instanceof Error ? { message: error.message } : error },
      'redis unavailable: serving in degraded mode (per-instance rate limits; revocations from other instances apply after the cache TTL, read from the database); reconnecting',
    )
  }
  // ioredis emits `error` on every failed attempt; without a listener Node would crash.
  client.on('error', enterDegraded)
  subscriber.on('error', enterDegraded)
  subscriber.on('close', () => {
    if (subscribed) enterDegraded(new Error('connection closed'))
    subscribed = false
  })
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        const recovered = degraded
        subscribed = true
        if (recovered) {
          degraded = false
          logger.info({}, 'redis reachable again: shared state restored')
          emit({ type: 'resync' })
        }
      },
      (error: unknown) => enterDegraded(error),
    )
  })
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return
    let parsed: { from?: unknown; id?: unknown; event?: SharedInvalidation }
    try {
      parsed = JSON.parse(message)
    } catch {
      return
    }
    if (parsed.from === instanceId) {
      echoes.get(String(parsed.id))?.()
      return
    }
    if (!parsed.event || parsed.event.type === 'resync') return
    emit(parsed.event)
  })

  function emit(event: SharedInvalidation) {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch (error) {
        logger.warn({ err: error, event: event.type }, 'redis: invalidation listener threw')
      }
    }
  }

  const waitForSubscription = () =>
    new Promise<void>((resolve) => {
      const started = Date.now()
      const check = () => {
        if (subscribed || closed || Date.now() - started >= connectTimeoutMs) resolve()
        else setTimeout(check, 10).unref()
      }
      check()
    })

  return {
    client,
    keyPrefix,
    async start() {
      // A failed first attempt is not fatal: the retry strategy keeps trying in the background.
      await Promise.all([
        client.connect().catch(enterDegraded),
        subscriber.connect().catch(enterDegraded),
      ])
      await waitForSubscription()
      if (!subscribed) enterDegraded(new Error(`no answer within ${connectTimeoutMs} ms`))
    },
    isSubscribed: () => subscribed,
    async publish(event) {
      if (closed) return
      const id = String(++sequence)
      let timer: NodeJS.Timeout | undefined
      const echoed = subscribed
        ? new Promise<void>((resolve) => {
            echoes.set(id, resolve)
            timer = setTimeout(resolve, 1_000)
          })
        : undefined
      try {
        await client.publish(channel, JSON.stringify({ from: instanceId, id, event }))
        await echoed
      } catch (error) {
        enterDegraded(error)
      } finally {
        clearTimeout(timer)
        echoes.delete(id)
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    async close() {
      if (closed) return
      closed = true
      listeners.clear()
      for (const resolve of echoes.values()) resolve()
      await Promise.all(
        [client, subscriber].map((redis) =>
          redis.status === 'ready'
            ? redis.quit().catch(() => redis.disconnect())
            : redis.disconnect(),
        ),
      )
    },
  }
}
