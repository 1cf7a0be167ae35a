import { runLoad } from '../support/runLoad.js'
import { completionBody, completionHeaders, startBaselineFor } from '../support/startBaselineFor.js'
import type { BenchSystem } from '../support/startBenchSystem.js'

export type ThroughputResult = {
  connections: number
  durationSeconds: number
  requestsPerSecond: { metered: number; bareRoute: number; plainTrpc: number }
  /** metered ÷ bare route, metered ÷ plain tRPC. */
  ratios: { toBareRoute: number; toPlainTrpc: number }
  latencyMs: { metered: { p50: number; p99: number } }
  failed: { metered: number; bareRoute: number; plainTrpc: number }
}

/**
 * 1. Metered throughput: `/v1/chat/completions` with an API key (session lookup, role check,
 * hold, durable charge, dev provider at 0 ms) as fast as it answers at a fixed concurrency,
 * then, in the same run, a bare Fastify route returning the same JSON and a plain tRPC query.
 */
export async function measureThroughput(
  system: BenchSystem,
  { connections = 32, durationSeconds = 10 } = {},
): Promise<ThroughputResult> {
  const headers = completionHeaders(system)
  const baseline = await startBaselineFor(system)
  try {
    const load = { connections, durationSeconds }
    // Short warm-ups: JIT, connection pools, caches.
    await runLoad({
      ...load,
      durationSeconds: 2,
      url: `${system.url}/v1/chat/completions`,
      method: 'POST',
      headers,
      body: completionBody,
    })
    const metered = await runLoad({
      ...load,
      url: `${system.url}/v1/chat/completions`,
      method: 'POST',
      headers,
      body: completionBody,
    })
    await runLoad({
      ...load,
      durationSeconds: 2,
      url: `${baseline.url}/bare`,
      method: 'POST',
      headers,
      body: completionBody,
    })
    const bare = await runLoad({
      ...load,
      url: `${baseline.url}/bare`,
      method: 'POST',
      headers,
      body: completionBody,
    })
    await runLoad({ ...load, durationSeconds: 2, url: `${baseline.url}/trpc/ping` })
    const trpc = await runLoad({ ...load, url: `${baseline.url}/trpc/ping` })
    return {
      connections,
      durationSeconds,
      requestsPerSecond: {
        metered: metered.requestsPerSecond,
        bareRoute: bare.requestsPerSecond,
        plainTrpc: trpc.requestsPerSecond,
      },
      ratios: {
        toBareRoute: metered.requestsPerSecond / bare.requestsPerSecond,
        toPlainTrpc: metered.requestsPerSecond / trpc.requestsPerSecond,
      },
      latencyMs: { metered: { p50: metered.latencyMs.p50, p99: metered.latencyMs.p99 } },
      failed: {
        metered: metered.errors + metered.non2xx,
        bareRoute: bare.errors + bare.non2xx,
        plainTrpc: trpc.errors + trpc.non2xx,
      },
    }
  } finally {
    await baseline.stop()
  }
}
