import { formatUsd } from '@accesspoint/core'
import type { SettlementRunOptions } from '@accesspoint/server'

type SettlementProgressEvent = Parameters<NonNullable<SettlementRunOptions['onProgress']>>[0]

export type CreateProgressReporterParameters = {
  /** Where progress goes; `process.stderr`, so stdout keeps only the summary. */
  stream: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean | undefined; columns?: number }
}

export type ProgressReporter = {
  onProgress(event: SettlementProgressEvent): void
  /** Ends the bar's line, so what follows starts on a fresh one. */
  done(): void
}

export type CreateProgressReporterReturnType = ProgressReporter

const barWidth = 24

/**
 * Settlement progress for a person: one line per event, and on a terminal a bar under them,
 * redrawn in place (passes confirmed of passes planned); elsewhere (CI, pipes, log files) the
 * lines alone. Written here rather than taken from `cli-progress`: one bar is a few lines.
 */
export function createProgressReporter({
  stream,
}: CreateProgressReporterParameters): CreateProgressReporterReturnType {
  const tty = stream.isTTY === true
  let plannedPasses = 0
  let plannedBatches = 0
  let passesDone = 0
  let batchesDone = 0
  let deducted = 0n
  let drawn = false

  const width = () => Math.max(20, (stream.columns ?? 100) - 1)
  const bar = () => {
    const fraction = plannedPasses ? Math.min(1, passesDone / plannedPasses) : 1
    const filled = Math.round(fraction * barWidth)
    return (
      `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ` +
      `${passesDone}/${plannedPasses} passes, ${batchesDone}/${plannedBatches} batches, ` +
      `${formatUsd(deducted)} deducted`
    ).slice(0, width())
  }
  const say = (line: string) => {
    if (!tty) {
      stream.write(`${line}\n`)
      return
    }
    // Overwrite the bar with the line, then draw the bar again below it.
    stream.write(`\r${line.padEnd(width())}\n${bar().padEnd(width())}`)
    drawn = true
  }

  return {
    onProgress(event) {
      switch (event.type) {
        case 'planned':
          plannedPasses = event.passes
          plannedBatches = event.batches
          say(
            `planned: ${event.passes} pass(es), ${formatUsd(event.totalMicroUsd)} in ~${event.batches} batch(es)`,
          )
          break
        case 'batch-sent':
          say(`batch ${event.batchId} sent: tx ${event.txHash} (${event.passes} passes)`)
          break
        case 'batch-confirmed':
          passesDone += event.passes
          batchesDone++
          deducted += event.deductedMicroUsd
          say(
            `batch ${event.batchId} confirmed in block ${event.blockNumber}: ${formatUsd(event.deductedMicroUsd)} deducted` +
              (event.shortfalls
                ? `, ${event.shortfalls} pass(es) short by ${formatUsd(event.shortfallMicroUsd)}`
                : ''),
          )
          break
        case 'batch-retry':
          say(
            `batch ${event.batchId}: ${event.error}; retry ${event.attempt} in ${event.delayMs} ms`,
          )
          break
        case 'rpc-retry':
          say(`${event.operation}: ${event.error}; retry ${event.attempt} in ${event.delayMs} ms`)
          break
        case 'batch-failed':
          say(`batch ${event.batchId} FAILED: ${event.error}`)
          break
        case 'recovered':
          say(`batch ${event.batchId} from an earlier run: ${event.outcome}`)
          break
        default:
          // batch-written, batch-signed: steps too small to show.
          break
      }
    },
    done() {
      if (tty && drawn) stream.write('\n')
    },
  }
}
