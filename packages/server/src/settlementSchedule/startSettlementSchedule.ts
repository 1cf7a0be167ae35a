import { formatUsd } from '@accesspoint/core'
import type { FastifyBaseLogger } from 'fastify'
import type { SettlementRunner } from './createSettlementRunner.js'

export type StartSettlementScheduleParameters = {
  runner: Pick<SettlementRunner, 'run'>
  /** Time between the end of one run and the start of the next. */
  intervalMs: number
  /**
   * Until the first run. Short by default, so a server restarted more often than `intervalMs`
   * still settles, yet long enough that `pnpm settle` right after `pnpm dev` finds work to do.
   * @default Math.min(intervalMs, 300_000)
   */
  initialDelayMs?: number | undefined
  logger: Pick<FastifyBaseLogger, 'info' | 'debug' | 'error'>
}

export type SettlementSchedule = {
  /** Stops scheduling, aborts a run in progress and waits for it to stop. Never rejects. */
  stop(): Promise<void>
}

export type StartSettlementScheduleReturnType = SettlementSchedule

export type StartSettlementScheduleErrorType = never

/**
 * Settles every `intervalMs` inside the server. Every instance may run a schedule: the lock in
 * `runner.run` lets exactly one of them settle at a time and the others skip that round. A
 * failed run is logged and counted, and the next round tries again; it never reaches the
 * server's request path.
 */
export function startSettlementSchedule({
  runner,
  intervalMs,
  initialDelayMs = Math.min(intervalMs, 300_000),
  logger,
}: StartSettlementScheduleParameters): StartSettlementScheduleReturnType {
  const stopping = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined

  async function tick() {
    const started = Date.now()
    try {
      const outcome = await runner.run({ signal: stopping.signal })
      if (!outcome.ran) {
        logger.debug('settlement skipped: another instance is settling')
        return
      }
      const result = outcome.value
      const summary = {
        batches: result.batches.length,
        passes: result.passes.length,
        requested: formatUsd(result.totalRequestedMicroUsd),
        deducted: formatUsd(result.totalDeductedMicroUsd),
        shortfalls: result.passes.filter((pass) => pass.shortfallMicroUsd > 0n).length,
        failedBatches: result.batches.filter((batch) => batch.status === 'FAILED').length,
        recovered: result.recovered,
        inFlight: result.unresolved,
        ms: Date.now() - started,
      }
      if (summary.batches === 0 && summary.recovered === 0 && summary.inFlight === 0)
        logger.debug(summary, 'settlement: nothing to settle')
      else
        logger.info(
          summary,
          `settlement: ${summary.deducted} deducted from ${summary.passes} pass(es) in ${summary.batches} batch(es)`,
        )
    } catch (error) {
      // The runner may have been stopped first (the server aborts it before closing).
      if (stopping.signal.aborted || (error instanceof Error && error.name === 'AbortError'))
        logger.info('settlement run stopped for shutdown')
      else logger.error({ err: error }, 'settlement run failed; retrying at the next interval')
    }
  }

  const schedule = (delayMs: number) => {
    if (stopping.signal.aborted) return
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = undefined
        schedule(intervalMs)
      })
    }, delayMs)
    // A pending run must not keep a process alive that is otherwise done.
    timer.unref()
  }
  schedule(initialDelayMs)

  return {
    async stop() {
      stopping.abort()
      clearTimeout(timer)
      await running
    },
  }
}
