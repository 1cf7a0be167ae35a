import { type Percentiles, runFixedRate } from '../support/runFixedRate.js'
import { completionBody, completionHeaders, startBaselineFor } from '../support/startBaselineFor.js'
import type { BenchSystem } from '../support/startBenchSystem.js'

export type AddedLatencyResult = {
  ratePerSecond: number
  durationSeconds: number
  latencyMs: { metered: Percentiles; bareRoute: Percentiles }
  /** Metered minus bare route, percentile by percentile. */
  addedMs: { p50: number; p95: number; p99: number }
  /** What the server says it spent outside the provider (`X-AccessPoint-Overhead-Ms`). */
  overheadHeaderMs: Percentiles | undefined
  failed: { metered: number; bareRoute: number }
}

/**
 * 2. Added latency: at a fixed request rate (open loop), the same request to the metered route
 * and to a bare Fastify route returning the same JSON, in the same run; the difference of their
 * percentiles, and the distribution of the server's own overhead header.
 */
export async function measureAddedLatency(
  system: BenchSystem,
  { ratePerSecond = 1000, durationSeconds = 10 } = {},
): Promise<AddedLatencyResult> {
  const headers = completionHeaders(system)
  const baseline = await startBaselineFor(system)
  try {
    const run = (url: string, path: string, seconds: number, recordHeader?: string) =>
      runFixedRate({
        url,
        path,
        method: 'POST',
        headers,
        body: completionBody,
        ratePerSecond,
        durationSeconds: seconds,
        recordHeader,
      })
    await run(system.url, '/v1/chat/completions', 2)
    const metered = await run(
      system.url,
      '/v1/chat/completions',
      durationSeconds,
      'x-accesspoint-overhead-ms',
    )
    await run(baseline.url, '/bare', 2)
    const bare = await run(baseline.url, '/bare', durationSeconds)
    return {
      ratePerSecond,
      durationSeconds,
      latencyMs: { metered: metered.latencyMs, bareRoute: bare.latencyMs },
      addedMs: {
        p50: metered.latencyMs.p50 - bare.latencyMs.p50,
        p95: metered.latencyMs.p95 - bare.latencyMs.p95,
        p99: metered.latencyMs.p99 - bare.latencyMs.p99,
      },
      overheadHeaderMs: metered.header,
      failed: { metered: metered.failed, bareRoute: bare.failed },
    }
  } finally {
    await baseline.stop()
  }
}
