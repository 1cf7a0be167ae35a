/*
 * Admission with group commit: the request path's way to place holds.
 *
 * `place()` queues a hold; one writer loop sends the queue as ONE statement (`placeHolds`) and
 * resolves each caller once that statement has committed, or refuses it exactly as `placeHold`
 * would. An idle writer sends at once (on the next turn of the event loop, so holds that arrive
 * together go together); while a batch is in the database the next one fills up, so under load
 * batches grow on their own and admission costs a handful of commits per second instead of one
 * per request, with no added wait when the writer is idle. Correctness is the statement's (the
 * row lock, see placeHolds.ts), so it holds across instances as `placeHold` does.
 *
 * What a batch's outcome means for each caller:
 *   - admitted: resolved with the pass as it stood right after that hold;
 *   - refused: the pass is read afresh (`explainRefusedHold`); if the hold fits by then (a hold
 *     was released in between) it goes into the next batch, up to three tries, else the caller
 *     gets INSUFFICIENT_BALANCE / PAYMENT_FAILED / NOT_FOUND with the numbers;
 *   - a data error (a duplicate request id aborts the whole statement): every hold of the batch
 *     is placed again on its own (`placeHold`), so only the duplicate is refused;
 *   - anything else (the database did not answer): every caller gets SERVICE_UNAVAILABLE. The
 *     commit may have landed before the connection dropped, so callers release what they asked
 *     for (the ledger writer's release of an unknown request id changes nothing).
 *
 * Measured by `pnpm exec vitest run src/billing/createHoldWriter.test.ts` (it prints the figures).
 */
import { InvalidInputError, type MicroUsd } from '@accesspoint/core'
import { LRUCache } from 'lru-cache'
import type { Database } from '../db/createDatabase.js'
import { BillingUnavailableError } from './errors.js'
import { checkHold, explainRefusedHold, isDataError, toBillingError } from './internal.js'
import {
  type PlaceHoldErrorType,
  type PlaceHoldParameters,
  type PlaceHoldReturnType,
  placeHold,
} from './placeHold.js'
import { type HoldRequest, placeHolds } from './placeHolds.js'

export type HoldWriterStats = {
  /** Committed batch statements. */
  batches: number
  admitted: number
  refused: number
  /** Holds that did not fit in their batch but did by the time they were re-read. */
  retried: number
  /** Batches the database refused as a whole (a duplicate), placed again one by one. */
  splitBatches: number
  /** Batches that failed (the database did not answer): their callers were refused. */
  failedBatches: number
  /** Waiting for a batch, now. */
  queued: number
}

/** What a pass owes besides its credit, as the database last told this writer. */
export type PassUsage = {
  pendingMicroUsd: MicroUsd
  heldMicroUsd: MicroUsd
  debtMicroUsd: MicroUsd
}

export type HoldWriter = {
  /**
   * Reserves the hold with the next batch; resolves once committed, with the pass right after
   * it. Refuses as `placeHold` does.
   */
  place(parameters: Omit<PlaceHoldParameters, 'database'>): Promise<PlaceHoldReturnType>
  /**
   * The pass's pending, held and debt as of the last batch that admitted a hold on it: a hint
   * for sizing the next hold (`max_tokens` clamping) without reading the pass first. It may be
   * stale (other instances' holds, captures since); admission itself never relies on it.
   */
  lastUsage(passId: string): PassUsage | undefined
  /** Refuses new holds and waits for the batches under way. */
  close(): Promise<void>
  stats(): HoldWriterStats
}

export type CreateHoldWriterParameters = {
  database: Pick<Database, 'prisma' | 'query'>
  /** Most holds in one statement. @default 256 */
  maxBatch?: number | undefined
  /** Passes whose usage is remembered for `lastUsage`. @default 100_000 */
  maxPasses?: number | undefined
  /** Told about every committed batch (holds, statement time), e.g. for metrics. */
  onCommit?: ((batch: { holds: number; durationMs: number }) => void) | undefined
}

export type CreateHoldWriterReturnType = HoldWriter

/** A hold placed through the writer fails exactly as `placeHold` does. */
export type CreateHoldWriterErrorType = PlaceHoldErrorType

type Item = {
  hold: HoldRequest & { pass: { tokenId?: bigint | undefined } }
  parameters: Omit<PlaceHoldParameters, 'database'>
  attempt: number
  resolve(result: PlaceHoldReturnType): void
  reject(error: unknown): void
}

// As placeHold: a hold refused in its batch that fits on a fresh read is tried again, this often.
const maxAttempts = 3

/** Queues holds and places them in batches of one statement each; see the notes at the top. */
export function createHoldWriter({
  database,
  maxBatch = 256,
  maxPasses = 100_000,
  onCommit,
}: CreateHoldWriterParameters): CreateHoldWriterReturnType {
  const stats = {
    batches: 0,
    admitted: 0,
    refused: 0,
    retried: 0,
    splitBatches: 0,
    failedBatches: 0,
  }
  const usage = new LRUCache<string, PassUsage>({ max: maxPasses })
  const queue: Item[] = []
  let scheduled = false
  let draining: Promise<void> | undefined
  let closed = false

  function schedule(): void {
    if (scheduled || draining) return
    scheduled = true
    // The next turn of the event loop: holds from requests parsed in the same I/O phase share
    // a batch, and an idle writer adds no wait.
    setImmediate(() => {
      scheduled = false
      drain()
    })
  }

  function drain(): void {
    if (draining || queue.length === 0) return
    draining = (async () => {
      try {
        while (queue.length > 0) await commit(queue.splice(0, maxBatch))
      } finally {
        draining = undefined
      }
    })()
  }

  async function commit(items: Item[]): Promise<void> {
    const started = performance.now()
    let outcomes: Awaited<ReturnType<typeof placeHolds>>
    try {
      outcomes = await placeHolds({ database, holds: items.map((item) => item.hold) })
    } catch (error) {
      if (isDataError(error)) {
        stats.splitBatches++
        await Promise.all(items.map(placeAlone))
        return
      }
      stats.failedBatches++
      const refusal = toBillingError(error, 'place a hold')
      for (const item of items) item.reject(refusal)
      return
    }
    stats.batches++
    onCommit?.({ holds: items.length, durationMs: performance.now() - started })
    const refused: Item[] = []
    items.forEach((item, index) => {
      const outcome = outcomes[index]
      if (!outcome?.admitted) {
        // The hint let this hold through as fitting; the next request on the pass reads afresh.
        usage.delete(item.hold.pass.id)
        refused.push(item)
        return
      }
      stats.admitted++
      // In order, so the pass's last admitted hold in the batch is what stays remembered.
      usage.set(item.hold.pass.id, {
        pendingMicroUsd: outcome.balance.pendingMicroUsd,
        heldMicroUsd: outcome.balance.heldMicroUsd,
        debtMicroUsd: outcome.debtMicroUsd,
      })
      item.resolve({
        requestId: item.hold.requestId,
        holdMicroUsd: item.hold.holdMicroUsd,
        holdExpiresAt: item.hold.holdExpiresAt,
        balance: outcome.balance,
      })
    })
    // Off the writer's path: the next batch need not wait for these reads.
    for (const item of refused) void explain(item)
  }

  async function explain(item: Item): Promise<void> {
    try {
      const { fitsNow, error } = await explainRefusedHold({
        database,
        pass: item.hold.pass,
        holdMicroUsd: item.hold.holdMicroUsd,
      })
      if (fitsNow && item.attempt < maxAttempts && !closed) {
        stats.retried++
        item.attempt++
        queue.push(item)
        schedule()
        return
      }
      stats.refused++
      item.reject(error)
    } catch (error) {
      item.reject(error)
    }
  }

  async function placeAlone(item: Item): Promise<void> {
    try {
      // The same expiry as in the batch: the caller may already have been told it.
      const now = item.hold.holdExpiresAt.getTime() - item.parameters.holdTtlMs
      const placed = await placeHold({ ...item.parameters, database, now })
      stats.admitted++
      item.resolve(placed)
    } catch (error) {
      stats.refused++
      item.reject(error)
    }
  }

  return {
    place(parameters) {
      const issues = checkHold(parameters)
      if (issues.length > 0)
        return Promise.reject(new InvalidInputError('Invalid hold.', { issues }))
      if (closed)
        return Promise.reject(
          new BillingUnavailableError({
            operation: 'place a hold',
            cause: new Error('the hold writer is closed (the server is shutting down)'),
          }),
        )
      return new Promise<PlaceHoldReturnType>((resolve, reject) => {
        queue.push({
          hold: {
            ...parameters,
            holdExpiresAt: new Date((parameters.now ?? Date.now()) + parameters.holdTtlMs),
          },
          parameters,
          attempt: 1,
          resolve,
          reject,
        })
        if (queue.length >= maxBatch) drain()
        else schedule()
      })
    },
    async close() {
      closed = true
      while (draining || scheduled || queue.length > 0) {
        drain()
        await (draining ?? new Promise((resolve) => setImmediate(resolve)))
      }
    },
    lastUsage: (passId) => usage.get(passId),
    stats: () => ({ ...stats, queued: queue.length }),
  }
}
