import type { Hex } from 'viem'
import type { Database } from '../db/createDatabase.js'
import type { Metrics } from '../metrics/createMetrics.js'
import {
  type ReconcileSettlementReturnType,
  reconcileSettlement,
} from '../reconcile/reconcileSettlement.js'
import {
  type RunSettlementParameters,
  type RunSettlementReturnType,
  runSettlement,
} from '../settlement/runSettlement.js'
import type {
  SettlementChain,
  SettlementLogger,
  SettlementProgressEvent,
} from '../settlement/types.js'
import { withSettlementLock } from '../settlement/withSettlementLock.js'
import {
  listSettlementBatches,
  type SettlementBatchRow,
} from '../settlementAdmin/listSettlementBatches.js'
import {
  SettlementBatchNotFoundError,
  type SettlementBatchNotFoundErrorType,
  SettlementBatchNotRetryableError,
  type SettlementBatchNotRetryableErrorType,
  SettlementBusyError,
  type SettlementBusyErrorType,
} from './errors.js'

export type SettlementRunOptions = {
  /** Plan only: nothing is written or sent. Runs without the lock. */
  dryRun?: boolean | undefined
  onProgress?: ((event: SettlementProgressEvent) => void) | undefined
  signal?: AbortSignal | undefined
}

export type SettlementRunner = {
  chain: SettlementChain
  /**
   * One settlement run under the settlement lock (one at a time across every instance sharing
   * the database); `{ ran: false }` when another run holds it. Metrics are recorded here.
   */
  run(
    options?: SettlementRunOptions,
  ): Promise<{ ran: true; value: RunSettlementReturnType } | { ran: false }>
  /** Like `run`, but a busy lock is a {@link SettlementBusyError}. */
  runOrThrow(options?: SettlementRunOptions): Promise<RunSettlementReturnType>
  /**
   * Resumes one PENDING, SUBMITTED or FAILED batch now. The worker resumes through a run (a run
   * resolves every batch an earlier one left unresolved before planning, and a FAILED batch's
   * charges were released to be settled again under a new id), so this is a run under the lock;
   * it returns the batch as it is afterwards, and the run.
   */
  retry(
    batchId: Hex,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<{ batch: SettlementBatchRow; run: RunSettlementReturnType }>
  /** The ledger against the chain, under the lock so no batch is in flight meanwhile. */
  reconcile(options?: { signal?: AbortSignal | undefined }): Promise<ReconcileSettlementReturnType>
  /** Aborts runs in progress; they stop at their next safe point. */
  close(): void
}

export type CreateSettlementRunnerParameters = {
  database: Database
  chain: SettlementChain
  /** Charges captured longer ago than this are settled. */
  delayMs: number
  /** Blocks on top of a settlement transaction before its charges count as settled. */
  confirmations?: number | undefined
  batch?: RunSettlementParameters['batch']
  /** Where reconciliation starts reading logs; default the contract's deployment block. */
  fromBlock?: bigint | undefined
  metrics?: Pick<Metrics, 'settlement'> | undefined
  /** Every run's progress, whoever started it (the server drops cached credit on confirmations). */
  onProgress?: ((event: SettlementProgressEvent) => void) | undefined
  logger?: SettlementLogger | undefined
}

export type CreateSettlementRunnerReturnType = SettlementRunner

export type CreateSettlementRunnerErrorType =
  | SettlementBusyErrorType
  | SettlementBatchNotFoundErrorType
  | SettlementBatchNotRetryableErrorType

/**
 * What the schedule, the admin procedures and the CLI share: `runSettlement` with this server's
 * chain and settings, under the settlement lock, feeding the metrics.
 */
export function createSettlementRunner({
  database,
  chain,
  delayMs,
  confirmations,
  batch,
  fromBlock,
  metrics,
  logger,
  onProgress: onAnyProgress,
}: CreateSettlementRunnerParameters): CreateSettlementRunnerReturnType {
  const closing = new AbortController()
  const signalFor = (signal: AbortSignal | undefined) =>
    signal ? AbortSignal.any([signal, closing.signal]) : closing.signal

  const settle = async ({
    dryRun = false,
    onProgress,
    signal,
  }: SettlementRunOptions & { signal: AbortSignal }) => {
    const record = dryRun ? undefined : recordProgress(metrics)
    return runSettlement({
      database,
      chain,
      delayMs,
      dryRun,
      signal,
      ...(confirmations !== undefined && { confirmations }),
      ...(batch !== undefined && { batch }),
      ...(logger !== undefined && { logger }),
      onProgress(event) {
        record?.(event)
        onAnyProgress?.(event)
        onProgress?.(event)
      },
    })
  }

  const runner: SettlementRunner = {
    chain,
    async run(options = {}) {
      const signal = signalFor(options.signal)
      try {
        // A dry run writes nothing, so it need not wait for (or block) a real one.
        const outcome = options.dryRun
          ? { ran: true as const, value: await settle({ ...options, signal }) }
          : await withSettlementLock(database, () => settle({ ...options, signal }))
        if (outcome.ran && !options.dryRun) metrics?.settlement.lastSuccess.set(Date.now() / 1000)
        return outcome
      } catch (error) {
        // Stopped on purpose (shutdown, Ctrl-C): not a failure.
        if (!options.dryRun && !signal.aborted) metrics?.settlement.failures.inc({ kind: 'run' })
        throw error
      }
    },
    async runOrThrow(options) {
      const outcome = await runner.run(options)
      if (!outcome.ran) throw new SettlementBusyError()
      return outcome.value
    },
    async retry(batchId, { signal } = {}) {
      const read = async () => (await listSettlementBatches({ database, batchId })).items[0]
      const batch = await read()
      if (!batch) throw new SettlementBatchNotFoundError({ batchId })
      if (batch.status === 'CONFIRMED')
        throw new SettlementBatchNotRetryableError({ batchId, reason: 'it is CONFIRMED' })
      if (
        batch.chainId !== chain.chainId ||
        batch.contractAddress.toLowerCase() !== chain.contract.toLowerCase()
      )
        throw new SettlementBatchNotRetryableError({
          batchId,
          reason: `it belongs to ${batch.contractAddress} on chain ${batch.chainId}`,
        })
      const run = await runner.runOrThrow({ signal })
      return { batch: (await read()) ?? batch, run }
    },
    async reconcile({ signal } = {}) {
      signalFor(signal).throwIfAborted()
      const outcome = await withSettlementLock(database, () =>
        reconcileSettlement({
          database,
          client: chain.publicClient,
          chainId: chain.chainId,
          contract: chain.contract,
          fromBlock,
        }),
      )
      if (!outcome.ran) throw new SettlementBusyError()
      return outcome.value
    },
    close() {
      closing.abort()
    },
  }
  return runner
}

/** Counts batches as they end, so a run that fails later still shows the work it did. */
function recordProgress(
  metrics: Pick<Metrics, 'settlement'> | undefined,
): (event: SettlementProgressEvent) => void {
  return (event) => {
    if (!metrics) return
    const { settlement } = metrics
    switch (event.type) {
      case 'batch-confirmed':
        settlement.batches.inc({ status: 'CONFIRMED' })
        settlement.batchSize.observe(event.passes)
        // Number: exact up to $9 billion, which one counter will not reach.
        settlement.deductedMicroUsd.inc(Number(event.deductedMicroUsd))
        settlement.shortfallMicroUsd.inc(Number(event.shortfallMicroUsd))
        break
      case 'batch-failed':
        settlement.batches.inc({ status: 'FAILED' })
        break
      case 'batch-retry':
        settlement.failures.inc({ kind: 'batch_retry' })
        break
      case 'rpc-retry':
        settlement.failures.inc({ kind: 'rpc_retry' })
        break
      default:
        break
    }
  }
}
