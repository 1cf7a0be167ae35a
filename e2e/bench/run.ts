// `pnpm bench`: the performance figures of issue 9, each next to a baseline measured in the same
// run on the same machine. Prints a table and writes results/latest.json.
//   pnpm bench                       everything, both profiles
//   pnpm bench --quick               short runs (a smoke test of the bench itself)
//   pnpm bench --only=throughput,latency --profile=embedded
import { execSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { measureAddedLatency } from './scenarios/measureAddedLatency.js'
import { measureCacheHits } from './scenarios/measureCacheHits.js'
import { measureSettlement } from './scenarios/measureSettlement.js'
import { measureStreaming } from './scenarios/measureStreaming.js'
import { measureThroughput } from './scenarios/measureThroughput.js'
import { type BenchProfile, startBenchSystem } from './support/startBenchSystem.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'string' },
  },
})
const scenarios = new Set(
  (values.only ?? 'throughput,latency,caches,streaming,settlement').split(','),
)
const profiles: BenchProfile[] =
  values.profile === 'embedded' || values.profile === 'postgres+redis'
    ? [values.profile]
    : ['embedded', 'postgres+redis']
const seconds = values.quick ? 2 : 10

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  commit: (() => {
    try {
      return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim()
    } catch {
      return 'unknown'
    }
  })(),
  date: new Date().toISOString(),
}

const results: Record<string, unknown> = { machine, quick: values.quick }
const log = (line: string) => process.stdout.write(`${line}\n`)
const fixed = (value: number, digits = 1) => value.toFixed(digits)

for (const profile of profiles) {
  log(`\n== ${profile} ==`)
  const system = await startBenchSystem(profile)
  const perProfile: Record<string, unknown> = {}
  results[profile] = perProfile
  try {
    if (scenarios.has('throughput')) {
      const result = await measureThroughput(system, { durationSeconds: seconds })
      perProfile.throughput = result
      log(
        `1. throughput (${result.connections} connections): metered ${fixed(result.requestsPerSecond.metered, 0)}/s, ` +
          `bare route ${fixed(result.requestsPerSecond.bareRoute, 0)}/s (×${fixed(result.ratios.toBareRoute, 3)}), ` +
          `plain tRPC ${fixed(result.requestsPerSecond.plainTrpc, 0)}/s (×${fixed(result.ratios.toPlainTrpc, 3)}); ` +
          `metered p50 ${result.latencyMs.metered.p50} ms p99 ${result.latencyMs.metered.p99} ms; failed ${JSON.stringify(result.failed)}`,
      )
    }
    if (scenarios.has('latency')) {
      // The rate, and a light one the server sustains on any machine, so the gateway's
      // own cost is visible apart from queueing when 1000/s is more than it serves.
      const latency: Record<string, unknown> = {}
      perProfile.latency = latency
      for (const ratePerSecond of [1000, 100]) {
        const result = await measureAddedLatency(system, {
          ratePerSecond,
          durationSeconds: seconds,
        })
        latency[`at${ratePerSecond}PerSecond`] = result
        const o = result.overheadHeaderMs
        log(
          `2. added latency at ${result.ratePerSecond}/s: p50 ${fixed(result.addedMs.p50, 2)} ms, p95 ${fixed(result.addedMs.p95, 2)} ms, p99 ${fixed(result.addedMs.p99, 2)} ms ` +
            `(metered p99 ${fixed(result.latencyMs.metered.p99, 2)}, bare p99 ${fixed(result.latencyMs.bareRoute.p99, 2)}); ` +
            `X-AccessPoint-Overhead-Ms p50 ${o ? fixed(o.p50, 2) : '-'} p99 ${o ? fixed(o.p99, 2) : '-'}; failed ${JSON.stringify(result.failed)}`,
        )
      }
    }
    if (scenarios.has('caches')) {
      const result = await measureCacheHits(system, { durationSeconds: seconds })
      perProfile.caches = result
      log(
        `4. cache hits over ${result.requests} requests: auth ${fixed(result.authHitRatio * 100, 2)}%, ` +
          `roles ${fixed(result.roleHitRatio * 100, 2)}% in-process, ${fixed(result.roleHitRatioWithShared * 100, 2)}% with the shared tier`,
      )
    }
  } finally {
    await system.stop()
  }
  // Streams need servers of their own (a long first-token delay); they start them.
  if (scenarios.has('streaming')) {
    const result = await measureStreaming({
      profile,
      ...(values.quick ? { requests: 50, streams: 1_000, holdMs: 1_000 } : {}),
    })
    perProfile.streaming = result
    const { firstToken: t, openStreams: o } = result
    log(
      `3. time to first token (${t.delayMs} ms provider delay): added p50 ${fixed(t.addedMs.p50, 2)} ms p99 ${fixed(t.addedMs.p99, 2)} ms; ` +
        `over a bare SSE route p50 ${fixed(t.addedOverBaselineMs.p50, 2)} ms; X-AccessPoint-Overhead-Ms p50 ${fixed(t.overheadHeaderMs.p50, 2)} ms`,
    )
    log(
      `3. ${o.opened}/${o.requested} streams open: RSS ${fixed(o.rssBeforeMb, 0)} → ${fixed(o.rssOpenMb, 0)} MB ` +
        `(${fixed(o.perStreamKb, 1)} KB/stream), event-loop lag p99 ${fixed(o.eventLoopLagP99Ms, 2)} ms held, ${fixed(o.eventLoopLagP99OpeningMs, 2)} ms opening`,
    )
  }
}

if (scenarios.has('settlement')) {
  const profile = profiles.at(-1) ?? 'embedded'
  log(`\n== settlement (${profile} database, anvil) ==`)
  const result = await measureSettlement({
    profile,
    ...(values.quick ? { passes: 200 } : {}),
  })
  results.settlement = result
  log(
    `5. ${result.charges} charges over ${result.passes} passes: ${result.transactions} transactions in ${fixed(result.settleSeconds, 1)} s ` +
      `(setup ${fixed(result.setupSeconds, 1)} s); one plain transfer ${fixed(result.baselineTransactionMs, 0)} ms; gas ${result.gasUsed}`,
  )
}

// The goals for this machine, against what this run measured.
type Goal = { goal: string; measured: string; met: boolean }
const goals: Goal[] = []
for (const profile of profiles) {
  const r = results[profile] as {
    throughput?: Awaited<ReturnType<typeof measureThroughput>>
    latency?: { at1000PerSecond?: Awaited<ReturnType<typeof measureAddedLatency>> }
    caches?: Awaited<ReturnType<typeof measureCacheHits>>
    streaming?: Awaited<ReturnType<typeof measureStreaming>>
  }
  const tag = (text: string) => `${text} [${profile}]`
  if (r.throughput) {
    goals.push({
      goal: tag('≥ 5,000 metered requests/s'),
      measured: `${fixed(r.throughput.requestsPerSecond.metered, 0)}/s`,
      met: r.throughput.requestsPerSecond.metered >= 5_000,
    })
    goals.push({
      goal: tag('≥ 0.25 × the bare route'),
      measured: `× ${fixed(r.throughput.ratios.toBareRoute, 3)}`,
      met: r.throughput.ratios.toBareRoute >= 0.25,
    })
  }
  const at1000 = r.latency?.at1000PerSecond
  if (at1000)
    goals.push({
      goal: tag('added p99 ≤ 2 ms at 1,000/s'),
      measured: `${fixed(at1000.addedMs.p99, 2)} ms`,
      met: at1000.addedMs.p99 <= 2,
    })
  if (r.streaming) {
    goals.push({
      goal: tag('≤ 1 ms added time to first token (p50)'),
      measured: `${fixed(r.streaming.firstToken.addedOverBaselineMs.p50, 2)} ms`,
      met: r.streaming.firstToken.addedOverBaselineMs.p50 <= 1,
    })
    const open = r.streaming.openStreams
    goals.push({
      goal: tag(`${open.requested} open streams under 1 GB resident`),
      measured: `${open.opened} open, ${fixed(open.rssOpenMb, 0)} MB`,
      met: open.opened === open.requested && open.rssOpenMb < 1024,
    })
  }
  if (r.caches)
    goals.push({
      goal: tag('≥ 99% auth and role cache hits'),
      measured: `${fixed(r.caches.authHitRatio * 100, 2)}% / ${fixed(r.caches.roleHitRatio * 100, 2)}%`,
      met: r.caches.authHitRatio >= 0.99 && r.caches.roleHitRatio >= 0.99,
    })
}
const settlement = results.settlement as Awaited<ReturnType<typeof measureSettlement>> | undefined
if (settlement)
  goals.push({
    goal: `${settlement.charges} charges settled in ≤ ${settlement.charges / 50} transactions`,
    measured: `${settlement.transactions}`,
    met: settlement.transactions <= settlement.charges / 50,
  })
results.goals = goals
log('\ngoals (this machine):')
for (const { goal, measured, met } of goals)
  log(`  ${met ? 'met    ' : 'NOT MET'}  ${goal}: ${measured}`)

await mkdir(new URL('./results/', import.meta.url), { recursive: true })
await writeFile(
  new URL('./results/latest.json', import.meta.url),
  `${JSON.stringify(results, null, 2)}\n`,
)
log(
  `\nmachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, commit ${machine.commit}`,
)
log('written: e2e/bench/results/latest.json')
