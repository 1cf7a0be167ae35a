import { createHistogram } from 'node:perf_hooks'
import { Pool } from 'undici'

export type RunFixedRateParameters = {
  url: string
  path: string
  method: 'GET' | 'POST'
  headers?: Record<string, string> | undefined
  body?: string | undefined
  ratePerSecond: number
  durationSeconds: number
  /** Connections the pool may open; enough that requests never queue behind each other. */
  connections?: number | undefined
  /** A response header whose numeric value is recorded too (`x-accesspoint-overhead-ms`). */
  recordHeader?: string | undefined
}

export type Percentiles = { p50: number; p95: number; p99: number; max: number }

export type RunFixedRateReturnType = {
  requests: number
  failed: number
  /** Milliseconds from the scheduled send to the last byte of the answer. */
  latencyMs: Percentiles
  /** The recorded header's distribution, when asked for and present. */
  header: Percentiles | undefined
}

/**
 * An open-loop load at a fixed rate: each request is scheduled at its time whether or not
 * earlier ones answered, and timed from that scheduled time, so a server that stalls is seen
 * stalling (a closed loop at a target rate hides it: coordinated omission). Exact percentiles
 * from Node's HDR histogram. Written here because autocannon's rate mode is closed-loop and
 * reports p97.5, not p95.
 */
export async function runFixedRate({
  url,
  path,
  method,
  headers = {},
  body,
  ratePerSecond,
  durationSeconds,
  connections = 64,
  recordHeader,
}: RunFixedRateParameters): Promise<RunFixedRateReturnType> {
  const pool = new Pool(url, { connections, pipelining: 1 })
  const latency = createHistogram()
  const header = createHistogram()
  let failed = 0
  let sent = 0
  const total = Math.round(ratePerSecond * durationSeconds)
  const intervalMs = 1000 / ratePerSecond
  const start = performance.now()
  const inflight = new Set<Promise<void>>()

  const send = (scheduledAt: number) => {
    const done = (async () => {
      try {
        const response = await pool.request({ path, method, headers, body: body ?? null })
        await response.body.dump()
        if (response.statusCode >= 400) failed++
        const value = recordHeader ? response.headers[recordHeader] : undefined
        if (typeof value === 'string' && value !== '')
          header.record(Math.max(1, Math.round(Number(value) * 1000)))
      } catch {
        failed++
      } finally {
        // Microseconds in the histogram (it takes integers ≥ 1).
        latency.record(Math.max(1, Math.round((performance.now() - scheduledAt) * 1000)))
      }
    })()
    inflight.add(done)
    done.finally(() => inflight.delete(done))
  }

  while (sent < total) {
    const now = performance.now()
    // Catch up on every send whose time has come (timers on a busy loop fire late).
    while (sent < total && start + sent * intervalMs <= now) send(start + sent++ * intervalMs)
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, start + sent * intervalMs - performance.now())),
    )
  }
  await Promise.all(inflight)
  await pool.close()

  const percentiles = (histogram: ReturnType<typeof createHistogram>): Percentiles => ({
    p50: histogram.percentile(50) / 1000,
    p95: histogram.percentile(95) / 1000,
    p99: histogram.percentile(99) / 1000,
    max: histogram.max / 1000,
  })
  return {
    requests: sent,
    failed,
    latencyMs: percentiles(latency),
    header: header.count > 0 ? percentiles(header) : undefined,
  }
}
