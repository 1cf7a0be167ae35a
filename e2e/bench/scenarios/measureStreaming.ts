import { execFileSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { Pool } from 'undici'
import { readMetric } from '../support/readMetric.js'
import { startBaselineServer } from '../support/startBaselineServer.js'
import { type BenchProfile, startBenchSystem } from '../support/startBenchSystem.js'

export type StreamingOptions = {
  /** @default 'embedded' */
  profile?: BenchProfile | undefined
  /** The dev provider's first-token delay while time to first token is measured. @default 50 */
  firstTokenDelayMs?: number | undefined
  /** Streamed requests timed, each on the gateway and on the bare stream. @default 200 */
  requests?: number | undefined
  /** Requests in flight at once while timing. @default 4 */
  concurrency?: number | undefined
  /** Streams held open at once. @default BENCH_STREAMS or 10 000 */
  streams?: number | undefined
  /**
   * The first-token delay that keeps those streams open: above the time to open them all and
   * hold them (10 000 took 23-43 s on two busy cores). @default 300 000
   */
  holdFirstTokenDelayMs?: number | undefined
  /** How long the streams stay open, all of them, before RSS and lag are read. @default 5 000 */
  holdMs?: number | undefined
}

export type Percentiles = { p50: number; p95: number; p99: number }

export type StreamingResult = {
  firstToken: {
    delayMs: number
    requests: number
    /** The gateway: request sent → first content chunk, minus `delayMs`. */
    addedMs: Percentiles
    /** The bare SSE route (baseline process): the same, minus `delayMs`. */
    baselineAddedMs: Percentiles
    /** addedMs − baselineAddedMs, percentile by percentile: what the gateway adds to a bare stream. */
    addedOverBaselineMs: Percentiles
    /**
     * The gateway's `X-AccessPoint-Overhead-Ms`: its own time up to the stream's headers (auth,
     * roles, hold), part of `addedMs`.
     */
    overheadHeaderMs: Percentiles
    failed: number
  }
  openStreams: {
    requested: number
    /** Streams whose response headers arrived (hold placed, stream counted). */
    opened: number
    /** Refused or failed, by status code or error code. */
    refused: Record<string, number>
    /** Seconds to open them all, at most `openConcurrency` opening at a time. */
    openSeconds: number
    rssBeforeMb: number
    rssOpenMb: number
    heapUsedBeforeMb: number
    heapUsedOpenMb: number
    /** (rssOpen − rssBefore) ÷ opened. */
    perStreamKb: number
    /** (heapUsedOpen − heapUsedBefore) ÷ opened: the JavaScript part, less sensitive to GC timing. */
    perStreamHeapKb: number
    /**
     * The server's event-loop delay p99 while the streams were held open (after opening):
     * `accesspoint_nodejs_eventloop_lag_p99_seconds` less prom-client's 10 ms sampling interval,
     * which it includes (an idle loop reads about 10.9 ms).
     */
    eventLoopLagP99Ms: number
    /** The same while they were being opened. */
    eventLoopLagP99OpeningMs: number
    /** `accesspoint_sse_streams_active` with them open. */
    activeStreamsGauge: number
    /** The same once every stream was aborted. */
    activeStreamsAfterAbort: number
    /** `/readyz` and an authenticated `/v1/models` after the abort. */
    healthyAfter: boolean
    /** `ulimit -n` of this process (the server inherits it). */
    fileDescriptorLimit: number
  }
}

const openConcurrency = 256

/**
 * 3. Streaming, on `apps/server` with the dev provider.
 *
 * Time to first token added: with the dev provider's first token after `firstTokenDelayMs` and
 * `max_tokens: 1`, the time from sending a streamed `/v1/chat/completions` (API key) to its
 * first content chunk, minus that delay, over `requests` requests (`concurrency` in flight),
 * interleaved in rounds with the same request to a bare Fastify SSE route in a baseline process
 * that writes its first content chunk after the same delay; both measured from this process.
 *
 * Open streams: a second server whose first token comes after `holdFirstTokenDelayMs`; `streams`
 * streamed requests (`max_tokens: 1`, each holding its worst case on pass #1) opened and kept
 * open; once all have their headers and have been held `holdMs`, the server's resident memory,
 * heap, event-loop delay p99 and open-stream gauge from its `/metrics`; then every stream is
 * aborted and the server must still answer.
 */
export async function measureStreaming({
  profile = 'embedded',
  firstTokenDelayMs = 50,
  requests = 200,
  concurrency = 4,
  streams = Number(process.env.BENCH_STREAMS ?? 10_000),
  holdFirstTokenDelayMs = 300_000,
  holdMs = 5_000,
}: StreamingOptions = {}): Promise<StreamingResult> {
  const firstToken = await measureFirstToken({ profile, firstTokenDelayMs, requests, concurrency })
  const openStreams = await measureOpenStreams({
    profile,
    streams,
    holdFirstTokenDelayMs,
    holdMs,
  })
  return { firstToken, openStreams }
}

const streamBody = JSON.stringify({
  model: 'dev-mini',
  messages: [{ role: 'user', content: 'Buy or sell?' }],
  max_tokens: 1,
  stream: true,
})

async function measureFirstToken({
  profile,
  firstTokenDelayMs,
  requests,
  concurrency,
}: {
  profile: BenchProfile
  firstTokenDelayMs: number
  requests: number
  concurrency: number
}): Promise<StreamingResult['firstToken']> {
  const system = await startBenchSystem(profile, {
    DEV_FIRST_TOKEN_DELAY_MS: String(firstTokenDelayMs),
  })
  const baseline = await startBaselineServer({})
  const gatewayPool = new Pool(system.url, { connections: concurrency, pipelining: 1 })
  const baselinePool = new Pool(baseline.url, { connections: concurrency, pipelining: 1 })
  const headers = { authorization: `Bearer ${system.apiKey}`, 'content-type': 'application/json' }
  const gateway = { pool: gatewayPool, path: '/v1/chat/completions', headers }
  const bare = {
    pool: baselinePool,
    path: `/bare-stream?delayMs=${firstTokenDelayMs}`,
    headers: { 'content-type': 'application/json' },
  }
  try {
    // Warm-up: JIT, connections, the API key and role caches.
    await timeRound(gateway, 5 * concurrency, concurrency)
    await timeRound(bare, 5 * concurrency, concurrency)
    // Rounds alternate, so a machine that slows down (a CI job starting) slows both alike.
    const round = 10 * concurrency
    const gatewayTimes: number[] = []
    const bareTimes: number[] = []
    const overheads: number[] = []
    let failed = 0
    for (let done = 0; done < requests; done += round) {
      const size = Math.min(round, requests - done)
      const g = await timeRound(gateway, size, concurrency)
      const b = await timeRound(bare, size, concurrency)
      gatewayTimes.push(...g.times)
      overheads.push(...g.overheads)
      bareTimes.push(...b.times)
      failed += g.failed + b.failed
    }
    const addedMs = percentiles(gatewayTimes.map((ms) => ms - firstTokenDelayMs))
    const baselineAddedMs = percentiles(bareTimes.map((ms) => ms - firstTokenDelayMs))
    return {
      delayMs: firstTokenDelayMs,
      requests,
      addedMs,
      baselineAddedMs,
      addedOverBaselineMs: {
        p50: round3(addedMs.p50 - baselineAddedMs.p50),
        p95: round3(addedMs.p95 - baselineAddedMs.p95),
        p99: round3(addedMs.p99 - baselineAddedMs.p99),
      },
      overheadHeaderMs: percentiles(overheads),
      failed,
    }
  } finally {
    await gatewayPool.close()
    await baselinePool.close()
    await baseline.stop()
    await system.stop()
  }
}

type Target = { pool: Pool; path: string; headers: Record<string, string> }

/** `count` streamed requests, `concurrency` at a time: ms from send to first content chunk. */
async function timeRound(
  { pool, path, headers }: Target,
  count: number,
  concurrency: number,
): Promise<{ times: number[]; overheads: number[]; failed: number }> {
  const times: number[] = []
  const overheads: number[] = []
  let failed = 0
  let next = 0
  const worker = async () => {
    while (next < count) {
      next++
      const timed = await timeToFirstContent(pool, path, headers).catch(() => undefined)
      if (timed === undefined) failed++
      else {
        times.push(timed.ms)
        if (timed.overheadMs !== undefined) overheads.push(timed.overheadMs)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { times, overheads, failed }
}

/** Reads the whole stream (so the connection is reused) and returns when content first came. */
async function timeToFirstContent(
  pool: Pool,
  path: string,
  headers: Record<string, string>,
): Promise<{ ms: number; overheadMs: number | undefined }> {
  const started = performance.now()
  const response = await pool.request({ method: 'POST', path, headers, body: streamBody })
  const overhead = response.headers['x-accesspoint-overhead-ms']
  if (response.statusCode !== 200) {
    await response.body.dump()
    throw new Error(`status ${response.statusCode}`)
  }
  let firstContentAt: number | undefined
  let buffer = ''
  response.body.setEncoding('utf8')
  for await (const text of response.body) {
    if (firstContentAt !== undefined) continue
    buffer += text
    let end = buffer.indexOf('\n\n')
    while (end !== -1 && firstContentAt === undefined) {
      if (hasContent(buffer.slice(0, end))) firstContentAt = performance.now()
      buffer = buffer.slice(end + 2)
      end = buffer.indexOf('\n\n')
    }
  }
  if (firstContentAt === undefined) throw new Error('no content chunk')
  return {
    ms: firstContentAt - started,
    overheadMs: typeof overhead === 'string' ? Number(overhead) : undefined,
  }
}

function hasContent(event: string): boolean {
  if (!event.startsWith('data: ') || event === 'data: [DONE]') return false
  const data = JSON.parse(event.slice(6)) as { choices?: { delta?: { content?: string } }[] }
  return Boolean(data.choices?.[0]?.delta?.content)
}

async function measureOpenStreams({
  profile,
  streams,
  holdFirstTokenDelayMs,
  holdMs,
}: {
  profile: BenchProfile
  streams: number
  holdFirstTokenDelayMs: number
  holdMs: number
}): Promise<StreamingResult['openStreams']> {
  const fileDescriptorLimit = Number(
    execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim(),
  )
  const system = await startBenchSystem(profile, {
    DEV_FIRST_TOKEN_DELAY_MS: String(holdFirstTokenDelayMs),
  })
  const pool = new Pool(system.url, {
    connections: streams + 64,
    pipelining: 1,
    headersTimeout: 0,
    bodyTimeout: 0,
  })
  const headers = { authorization: `Bearer ${system.apiKey}`, 'content-type': 'application/json' }
  const controllers: AbortController[] = []
  const refused: Record<string, number> = {}
  const open = async (): Promise<boolean> => {
    const controller = new AbortController()
    try {
      const response = await pool.request({
        method: 'POST',
        path: '/v1/chat/completions',
        headers,
        body: streamBody,
        signal: controller.signal,
      })
      if (response.statusCode !== 200) {
        await response.body.dump()
        refused[response.statusCode] = (refused[response.statusCode] ?? 0) + 1
        return false
      }
      // Flowing, so the role chunk is read and dropped; the abort ends it with an error.
      response.body.on('error', () => {})
      response.body.resume()
      controllers.push(controller)
      return true
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).name
      refused[code] = (refused[code] ?? 0) + 1
      return false
    }
  }
  const abortAll = () => {
    for (const controller of controllers.splice(0)) controller.abort()
  }
  const read = async () => parseMetrics(await system.metrics())

  try {
    // Warm-up: a few streams opened and aborted (JIT, caches).
    await Promise.all(Array.from({ length: 50 }, open))
    abortAll()
    await waitFor(async () => (await read()).sseStreamsActive === 0, 10_000)
    // Start-up leaves garbage that the first full collection gives back (on the embedded
    // database ~400 MB of external memory): "before" is read after one, or after 30 s.
    await waitFor(async () => (await read()).majorGcs > 0, 30_000)
    const before = await read()

    const started = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: Math.min(openConcurrency, streams) }, async () => {
        while (next < streams) {
          next++
          await open()
        }
      }),
    )
    const openSeconds = (performance.now() - started) / 1000
    // This read resets the server's event-loop delay histogram: its p99 covers the opening.
    const opening = await read()
    await new Promise((resolve) => setTimeout(resolve, holdMs))
    const held = await read()
    const opened = controllers.length
    if (opened > 0 && (performance.now() - started) / 1000 > holdFirstTokenDelayMs / 1000)
      throw new Error(
        `Opening ${streams} streams took ${openSeconds.toFixed(1)} s, longer than the ${holdFirstTokenDelayMs} ms first-token delay: the first had closed. Raise holdFirstTokenDelayMs.`,
      )

    abortAll()
    const closed = await waitFor(async () => (await read()).sseStreamsActive === 0, 30_000)
    const after = await read()
    const healthyAfter =
      closed &&
      (await fetch(`${system.url}/readyz`).then((response) => response.ok)) &&
      (await fetch(`${system.url}/v1/models`, { headers }).then((response) => response.ok))

    const mb = (bytes: number) => round3(bytes / 1024 / 1024)
    return {
      requested: streams,
      opened,
      refused,
      openSeconds: round3(openSeconds),
      rssBeforeMb: mb(before.rssBytes),
      rssOpenMb: mb(held.rssBytes),
      heapUsedBeforeMb: mb(before.heapUsedBytes),
      heapUsedOpenMb: mb(held.heapUsedBytes),
      perStreamKb: opened > 0 ? round3((held.rssBytes - before.rssBytes) / 1024 / opened) : 0,
      perStreamHeapKb:
        opened > 0 ? round3((held.heapUsedBytes - before.heapUsedBytes) / 1024 / opened) : 0,
      eventLoopLagP99Ms: lagMs(held.eventLoopLagP99Seconds),
      eventLoopLagP99OpeningMs: lagMs(opening.eventLoopLagP99Seconds),
      activeStreamsGauge: held.sseStreamsActive,
      activeStreamsAfterAbort: after.sseStreamsActive,
      healthyAfter,
      fileDescriptorLimit,
    }
  } finally {
    abortAll()
    await pool.destroy()
    // The aborted generations run on to their first token (billed, as a client abort is): a
    // server stopped before then ends them with the process.
    await system.stop()
  }
}

/** prom-client samples the loop every 10 ms and reports the whole interval. */
const lagMs = (p99Seconds: number) => round3(Math.max(0, p99Seconds * 1000 - 10))

function parseMetrics(text: string) {
  return {
    rssBytes: readMetric(text, 'accesspoint_process_resident_memory_bytes'),
    heapUsedBytes: readMetric(text, 'accesspoint_nodejs_heap_size_used_bytes'),
    eventLoopLagP99Seconds: readMetric(text, 'accesspoint_nodejs_eventloop_lag_p99_seconds'),
    sseStreamsActive: readMetric(text, 'accesspoint_sse_streams_active'),
    majorGcs: readMetric(text, 'accesspoint_nodejs_gc_duration_seconds_count', { kind: 'major' }),
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

/** Nearest-rank percentiles of `values` (ms). */
function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number) =>
    round3(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN)
  return { p50: at(50), p95: at(95), p99: at(99) }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000
}

// `npx tsx --conditions=@accesspoint/source bench/scenarios/measureStreaming.ts` (in e2e/)
// runs this scenario alone; BENCH_PROFILE=postgres+redis and BENCH_STREAMS apply.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const profile = (process.env.BENCH_PROFILE ?? 'embedded') as BenchProfile
  console.log(JSON.stringify(await measureStreaming({ profile }), null, 2))
}
