import type { AccessPointClient } from '@accesspoint/client'
import { percentile } from './percentile.js'

export type RunBotParameters = {
  client: Pick<AccessPointClient, 'complete' | 'stream'>
  /** Requests to send in all. */
  requests: number
  /** Requests in flight at once. */
  concurrency: number
  /** Every n-th request is streamed (0: none). */
  streamEvery: number
  model: string
  maxTokens: number
  /** Called after each request, e.g. for a progress line. */
  onProgress?: ((done: number) => void) | undefined
}

export type RunBotReturnType = {
  requests: number
  succeeded: number
  /** Failures by the server's stable error code. */
  failures: Record<string, number>
  streamed: number
  latencyMs: { p50: number; p95: number; p99: number }
  requestsPerSecond: number
  spentMicroUsd: bigint
  wallMs: number
}

// The market data a bot would send; varied so answers differ.
const symbols = ['ETH', 'BTC', 'SOL', 'ARB', 'OP', 'LINK']

/**
 * Sends `requests` completions with at most `concurrency` in flight, some streamed, and measures
 * each one's latency (to the last byte: the charge is committed by then).
 */
export async function runBot({
  client,
  requests,
  concurrency,
  streamEvery,
  model,
  maxTokens,
  onProgress,
}: RunBotParameters): Promise<RunBotReturnType> {
  const latencies: number[] = []
  const failures: Record<string, number> = {}
  let spent = 0n
  let streamed = 0
  let next = 0
  let done = 0

  async function one(index: number) {
    const messages = [
      { role: 'system' as const, content: 'You are a terse trading assistant.' },
      {
        role: 'user' as const,
        content: `Signal for ${symbols[index % symbols.length]} at tick ${index}?`,
      },
    ]
    const started = performance.now()
    try {
      const stream = streamEvery > 0 && index % streamEvery === 0
      let cost: bigint
      if (stream) {
        const answer = client.stream({ model, messages, maxTokens })
        for await (const _event of answer) {
          // A bot would act on partial text here.
        }
        cost = (await answer.result).costMicroUsd
        streamed++
      } else cost = (await client.complete({ model, messages, maxTokens })).costMicroUsd
      latencies.push(performance.now() - started)
      spent += cost
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'NETWORK'
      failures[code] = (failures[code] ?? 0) + 1
    } finally {
      onProgress?.(++done)
    }
  }

  const started = performance.now()
  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests) }, async () => {
      while (next < requests) await one(next++)
    }),
  )
  const wallMs = performance.now() - started
  return {
    requests,
    succeeded: latencies.length,
    failures,
    streamed,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    },
    requestsPerSecond: (latencies.length / wallMs) * 1000,
    spentMicroUsd: spent,
    wallMs,
  }
}
