// pnpm settle [--dry-run | --reconcile] — settles the charges now, plans a settlement, or checks
// the ledger against the chain. Exit codes: 0 done, 1 discrepancies or a FAILED batch, 2 could not
// run (printed as a message, never a stack trace).
import { isBaseError } from '@accesspoint/core'
import { loadConfig } from '../config/loadConfig.js'
import { loadEnvFile } from '../config/loadEnvFile.js'
import { createProgressReporter } from './settle/createProgressReporter.js'
import { formatDiscrepancies } from './settle/formatDiscrepancies.js'
import { formatSettlement } from './settle/formatSettlement.js'
import { openSettlementTarget } from './settle/openSettlementTarget.js'
import { parseSettleArguments, settleUsage } from './settle/parseSettleArguments.js'

const note = (line: string) => process.stderr.write(`${line}\n`)

async function settle(): Promise<number> {
  const { mode } = parseSettleArguments(process.argv.slice(2))
  if (mode === 'help') {
    console.log(settleUsage)
    return 0
  }
  loadEnvFile()
  const config = loadConfig()
  const target = await openSettlementTarget({ config, note })

  // Ctrl-C: the run stops at its next safe point; a second one leaves at once. Either way a
  // batch already written is resumed by the next run.
  const stop = new AbortController()
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(2)
    note('Stopping at the next safe point (Ctrl-C again to leave now)...')
    stop.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    if (mode === 'reconcile') {
      const result = await target.reconcile()
      console.log(formatDiscrepancies(result))
      return result.discrepancies.length > 0 ? 1 : 0
    }
    const progress = createProgressReporter({ stream: process.stderr })
    const result = await target
      .run({ dryRun: mode === 'dry-run', onProgress: progress.onProgress, signal: stop.signal })
      .finally(() => progress.done())
    if (target.kind === 'server' && mode === 'settle')
      note('Settled by the server; its log has the progress.')
    console.log(formatSettlement(result))
    return result.batches.some((batch) => batch.status === 'FAILED') ? 1 : 0
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await target.close()
  }
}

try {
  process.exitCode = await settle()
} catch (error) {
  // Operator errors (configuration, chain, a run already in progress) are messages, not traces.
  // Unknown errors: their first line only, without URLs (an RPC URL can carry an API key).
  const text = isBaseError(error)
    ? error.message
    : `pnpm settle failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]?.replace(/\b(?:https?|wss?):\/\/\S+/g, '<url>')}`
  console.error(text)
  process.exitCode = 2
}
