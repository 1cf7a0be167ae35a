/*
 * Capture with group commit.
 *
 * Captures and releases are queued; one writer loop commits them in batches, ONE statement (so
 * one transaction, one round trip) per batch, and resolves each caller's promise only after it
 * has committed, so the API layer sends the final response/event after the charge is durable.
 * While a batch is being written the next one fills up, so under load batches grow on their own
 * and the database sees a handful of commits per second however many requests finish. An idle
 * writer sends on the next turn of the event loop (`maxDelayMs` 0, the default), or waits that
 * long for company.
 *
 * A batch, in one statement (`captureStatement` at the end of this file):
 *   1. lock its still-HELD entries, ordered by requestId (FOR UPDATE);
 *   2. one UPDATE for all of them (HELD → CHARGED with charge and tokens, or → RELEASED);
 *   3. lock their passes ordered by id, then one UPDATE: held −= Σ holds, pending += Σ charges.
 * Every writer (other instances, recoverOpenHolds) locks entries then passes, each in key order,
 * so two instances finishing requests on the same passes wait for each other instead of
 * deadlocking. Only rows still HELD change: a capture or release repeated, or for an unknown
 * request id, is a no-op (`changed: false`), never a second charge.
 *
 * Failures: a failed batch is rolled back and retried with capped exponential backoff, forever;
 * it is never dropped and its callers keep waiting (an outage delays responses, it loses no
 * charge). Only a data error (SQLSTATE class 22/23, which no retry can fix) is bisected down to
 * the entry that causes it, whose caller gets ChargeNotRecordedError; its hold stays open until
 * recoverOpenHolds releases it, and the rest of the batch commits.
 *
 * The charge never exceeds the hold. The hold is the worst case for the `max_tokens` the
 * provider was sent, so only a misbehaving provider reports more; the pass was admitted for the
 * hold only, so the excess is not charged (the seller absorbs it) and is logged as a warning.
 *
 * Measured by `pnpm exec vitest run src/billing/createLedgerWriter.test.ts` (it prints the
 * figures): 2,000 concurrent captures over 20 passes with the defaults (maxBatch 256), Node 20
 * on 2 vCPU, PostgreSQL 15 on localhost (fsync on) / PGlite in-process: ~13,000–15,000
 * captures/s on both, in 8 statements, against ~360 captures/s with maxBatch 1, i.e. one
 * statement per capture. It used to be an interactive Prisma transaction of six round trips per
 * batch; as one statement on the driver (`database.query`) the request path spends far less CPU
 * per batch (see README, Performance).
 */
import { InvalidInputError, type InvalidInputErrorType, type MicroUsd } from '@accesspoint/core'
import type { Database } from '../db/createDatabase.js'
import {
  ChargeNotRecordedError,
  type ChargeNotRecordedErrorType,
  LedgerWriterClosedError,
  type LedgerWriterClosedErrorType,
} from './errors.js'
import { consoleLogger, isDataError, sleep } from './internal.js'
import type { BillingLogger } from './types.js'

export type CaptureParameters = {
  requestId: string
  /**
   * The actual cost: `calculateRequestCost` of the reported usage at the price the hold used.
   * Recorded as is up to the hold, and capped at the hold beyond it.
   */
  chargeMicroUsd: MicroUsd
  /** As the provider reported it; a reported zero is recorded as zero, never estimated. */
  usage: {
    inputTokens: number
    cachedInputTokens?: number | undefined
    outputTokens: number
  }
  /** The client went away before the end; billed for what was generated. */
  aborted?: boolean | undefined
  finishReason?: string | null | undefined
}

export type ReleaseParameters = { requestId: string }

export type LedgerWriteResult = {
  /** False when the entry was no longer HELD (already captured or released) or is unknown. */
  changed: boolean
  /** The charge recorded by this call (capped at the hold), or null. */
  chargeMicroUsd: MicroUsd | null
}

export type LedgerWriterStats = {
  /** Committed batch transactions. */
  batches: number
  /** Batch attempts that failed and were retried (or bisected). */
  failedAttempts: number
  captured: number
  released: number
  /** Captures and releases that found no HELD entry. */
  unchanged: number
  /** Captures whose charge was cut down to the hold. */
  capped: number
  /** Waiting for a batch, now. */
  queued: number
}

export type LedgerWriter = {
  /** Turns the HELD entry into a charge; resolves once that is committed. */
  capture(parameters: CaptureParameters): Promise<LedgerWriteResult>
  /** Releases the hold without a charge (nothing was generated); resolves once committed. */
  release(parameters: ReleaseParameters): Promise<LedgerWriteResult>
  /** Writes what is queued now; resolves when everything queued before the call is committed. */
  flush(): Promise<void>
  /** Refuses new work and waits until everything queued is committed. */
  close(): Promise<void>
  stats(): LedgerWriterStats
}

export type CreateLedgerWriterParameters = {
  database: Pick<Database, 'prisma' | 'query'>
  /** Most entries in one transaction. @default 256 */
  maxBatch?: number | undefined
  /**
   * How long an entry waits for others when the writer is idle; 0 sends it on the next turn of
   * the event loop, with whatever else arrived in this one. @default 0
   */
  maxDelayMs?: number | undefined
  /** Backoff after a failed batch: doubles from `initialMs` up to `maxMs`. */
  retry?: { initialMs?: number | undefined; maxMs?: number | undefined } | undefined
  logger?: BillingLogger | undefined
  /** Told about every committed batch (entries, transaction time), e.g. for metrics. */
  onCommit?: ((batch: { entries: number; durationMs: number }) => void) | undefined
  /** Milliseconds since the epoch, for `capturedAt`; for tests. */
  now?: (() => number) | undefined
}

export type CreateLedgerWriterReturnType = LedgerWriter

export type CreateLedgerWriterErrorType =
  | InvalidInputErrorType
  | LedgerWriterClosedErrorType
  | ChargeNotRecordedErrorType

type Operation =
  | { kind: 'capture'; requestId: string; capture: CaptureParameters }
  | { kind: 'release'; requestId: string }

type Item = Operation & {
  resolve(result: LedgerWriteResult): void
  reject(error: unknown): void
}

/** What a batch wrote for one request id; `requestedMicroUsd` when the charge was capped. */
type Written = { chargeMicroUsd: MicroUsd | null; requestedMicroUsd?: MicroUsd }

// INTEGER columns: a larger count would fail the whole batch, so it is refused up front.
const maxInt4 = 2_147_483_647

const unchanged: LedgerWriteResult = { changed: false, chargeMicroUsd: null }

/** Queues captures and releases and commits them in batches; see the notes at the top. */
export function createLedgerWriter({
  database,
  maxBatch = 256,
  maxDelayMs = 0,
  retry = {},
  logger = consoleLogger,
  onCommit,
  now = Date.now,
}: CreateLedgerWriterParameters): CreateLedgerWriterReturnType {
  const { initialMs = 25, maxMs = 2_000 } = retry
  const stats = { batches: 0, failedAttempts: 0, captured: 0, released: 0, unchanged: 0, capped: 0 }
  const queue: Item[] = []
  // Cancels the pending start of a batch, if one is scheduled.
  let scheduled: (() => void) | undefined
  let draining: Promise<void> | undefined
  let closed = false
  // Settles when the most recently queued item settles; batches are FIFO, so then all have.
  let tail: Promise<unknown> = Promise.resolve()

  function enqueue(operation: Operation): Promise<LedgerWriteResult> {
    if (closed) return Promise.reject(new LedgerWriterClosedError())
    let resolve!: (result: LedgerWriteResult) => void
    let reject!: (error: unknown) => void
    const promise = new Promise<LedgerWriteResult>((res, rej) => {
      resolve = res
      reject = rej
    })
    queue.push({ ...operation, resolve, reject })
    tail = promise.catch(() => {})
    if (!draining) {
      if (queue.length >= maxBatch) startDraining()
      // On the next turn of the event loop at the soonest: what the caller wrote before the
      // capture (a stream's last tokens) reaches the socket first, which matters with PGlite,
      // whose statements run on this thread.
      else if (!scheduled) {
        if (maxDelayMs > 0) {
          const timeout = setTimeout(startDraining, maxDelayMs)
          scheduled = () => clearTimeout(timeout)
        } else {
          const immediate = setImmediate(startDraining)
          scheduled = () => clearImmediate(immediate)
        }
      }
    }
    return promise
  }

  function startDraining(): void {
    scheduled?.()
    scheduled = undefined
    if (draining || queue.length === 0) return
    draining = (async () => {
      try {
        while (queue.length > 0) await commit(queue.splice(0, maxBatch))
      } finally {
        // Same microtask as the last empty-queue check: nothing queued in between is stranded.
        draining = undefined
      }
    })()
  }

  async function commit(items: Item[]): Promise<void> {
    // One timestamp for every attempt: it is how a retry recognises an earlier attempt's write.
    const capturedAt = new Date(now())
    for (let attempt = 1; ; attempt++) {
      let results: Map<string, Written>
      const started = performance.now()
      try {
        results = await writeBatch(items, capturedAt, attempt > 1)
      } catch (error) {
        stats.failedAttempts++
        if (isDataError(error)) return bisect(items, error)
        logger.error(
          { err: error, attempt, entries: items.length },
          'billing: ledger batch failed; retrying (callers wait, nothing is dropped)',
        )
        const backoff = Math.min(maxMs, initialMs * 2 ** (attempt - 1))
        await sleep(backoff / 2 + Math.random() * (backoff / 2))
        continue
      }
      stats.batches++
      onCommit?.({ entries: items.length, durationMs: performance.now() - started })
      const seen = new Set<string>()
      const late: string[] = []
      for (const item of items) {
        // A request id twice in one batch: the first operation wins, the second is a no-op.
        const written = seen.has(item.requestId) ? undefined : results.get(item.requestId)
        seen.add(item.requestId)
        if (!written) {
          stats.unchanged++
          if (item.kind === 'capture') late.push(item.requestId)
          item.resolve(unchanged)
          continue
        }
        if (item.kind === 'capture') stats.captured++
        else stats.released++
        if (written.requestedMicroUsd !== undefined) {
          stats.capped++
          logger.warn(
            {
              requestId: item.requestId,
              chargeMicroUsd: String(written.requestedMicroUsd),
              holdMicroUsd: String(written.chargeMicroUsd),
            },
            'billing: usage cost more than the hold (provider exceeded max_tokens?); charged the hold',
          )
        }
        item.resolve({ changed: true, chargeMicroUsd: written.chargeMicroUsd })
      }
      if (late.length > 0) void explainUnchanged(late)
      return
    }
  }

  // After the fact and off the callers' path: a capture that changed nothing is normally a
  // harmless repeat, but one that arrives after its hold expired and was released is revenue
  // lost (the hold TTL is too short), which an operator must hear about.
  async function explainUnchanged(requestIds: string[]): Promise<void> {
    try {
      const rows = await database.prisma.ledgerEntry.findMany({
        where: { requestId: { in: requestIds } },
        select: { requestId: true, status: true },
      })
      const status = new Map(rows.map((row) => [row.requestId, row.status]))
      for (const requestId of requestIds) {
        const found = status.get(requestId)
        if (found === 'RELEASED')
          logger.warn(
            { requestId },
            'billing: capture arrived after the hold was released (expired?); not charged',
          )
        else if (found === undefined)
          logger.warn({ requestId }, 'billing: capture for an unknown request id; ignored')
      }
    } catch {
      // Diagnostics only.
    }
  }

  async function bisect(items: Item[], error: unknown): Promise<void> {
    const [only] = items
    if (only && items.length === 1) {
      logger.error(
        { err: error, requestId: only.requestId },
        'billing: the database refused this ledger entry; its hold stays open until it expires',
      )
      only.reject(new ChargeNotRecordedError({ requestId: only.requestId, cause: error }))
      return
    }
    const middle = Math.ceil(items.length / 2)
    await commit(items.slice(0, middle))
    await commit(items.slice(middle))
  }

  async function writeBatch(
    items: readonly Item[],
    capturedAt: Date,
    retry: boolean,
  ): Promise<Map<string, Written>> {
    // A request id twice in one batch: the first operation is the one written.
    const first = new Map<string, Item>()
    for (const item of items) if (!first.has(item.requestId)) first.set(item.requestId, item)
    const operations = [...first.values()]
    const results = new Map<string, Written>()
    const at = capturedAt.toISOString()

    // An attempt whose COMMIT reached the database but whose reply did not (the connection
    // dropped) did write its entries: they carry this batch's timestamp. Their callers get what
    // was recorded, not "unchanged" (a charged answer reported as costing nothing).
    if (retry) {
      const written = await database.query<{ requestId: string; chargeMicroUsd: string | null }>(
        `SELECT "requestId", "chargeMicroUsd"::text FROM "LedgerEntry"
         WHERE "requestId" = ANY($1::text[]) AND status <> 'HELD' AND "capturedAt" = $2::timestamp(3)`,
        [[...first.keys()], at],
      )
      for (const row of written)
        results.set(row.requestId, {
          chargeMicroUsd: row.chargeMicroUsd === null ? null : BigInt(row.chargeMicroUsd),
        })
    }

    const rows = await database.query<{
      requestId: string
      charged: boolean
      chargeMicroUsd: string | null
      requestedMicroUsd: string
    }>(
      captureStatement,
      [
        operations.map((item) => item.requestId),
        operations.map((item) => item.kind === 'capture'),
        operations.map((item) =>
          item.kind === 'capture' ? String(item.capture.chargeMicroUsd) : '0',
        ),
        operations.map((item) => (item.kind === 'capture' ? item.capture.usage.inputTokens : 0)),
        operations.map((item) =>
          item.kind === 'capture' ? (item.capture.usage.cachedInputTokens ?? 0) : 0,
        ),
        operations.map((item) => (item.kind === 'capture' ? item.capture.usage.outputTokens : 0)),
        operations.map((item) => item.kind === 'capture' && item.capture.aborted === true),
        operations.map((item) =>
          item.kind === 'capture' ? (item.capture.finishReason ?? '') : '',
        ),
        at,
      ],
      'accesspoint_capture_batch',
    )
    for (const row of rows) {
      const charge = row.chargeMicroUsd === null ? null : BigInt(row.chargeMicroUsd)
      const requested = BigInt(row.requestedMicroUsd)
      results.set(row.requestId, {
        chargeMicroUsd: row.charged ? charge : null,
        ...(row.charged && charge !== null && requested > charge
          ? { requestedMicroUsd: requested }
          : {}),
      })
    }
    return results
  }

  return {
    capture(parameters) {
      const issues = validateCapture(parameters)
      if (issues.length > 0)
        return Promise.reject(new InvalidInputError('Invalid capture.', { issues }))
      return enqueue({ kind: 'capture', requestId: parameters.requestId, capture: parameters })
    },
    release({ requestId }) {
      if (typeof requestId !== 'string' || requestId.length === 0)
        return Promise.reject(
          new InvalidInputError('Invalid release.', {
            issues: [{ path: 'requestId', message: 'expected a non-empty string' }],
          }),
        )
      return enqueue({ kind: 'release', requestId })
    },
    async flush() {
      startDraining()
      await tail
    },
    async close() {
      closed = true
      startDraining()
      await tail
    },
    stats: () => ({ ...stats, queued: queue.length }),
  }
}

function validateCapture({ requestId, chargeMicroUsd, usage }: CaptureParameters) {
  const issues: { path: string; message: string }[] = []
  if (typeof requestId !== 'string' || requestId.length === 0)
    issues.push({ path: 'requestId', message: 'expected a non-empty string' })
  if (typeof chargeMicroUsd !== 'bigint' || chargeMicroUsd < 0n)
    issues.push({ path: 'chargeMicroUsd', message: 'expected a non-negative bigint of micro-USD' })
  for (const key of ['inputTokens', 'cachedInputTokens', 'outputTokens'] as const) {
    const value = usage?.[key] ?? 0
    if (!Number.isSafeInteger(value) || value < 0 || value > maxInt4)
      issues.push({
        path: `usage.${key}`,
        message: `expected an integer from 0 to ${maxInt4}, got ${String(value)}`,
      })
  }
  return issues
}

/*
 * One batch, one statement (its own transaction, one round trip):
 *   held:    its still-HELD entries, locked in requestId order;
 *   entries: HELD → CHARGED (the charge capped at the hold) or → RELEASED;
 *   totals:  per pass, Σ holds released and Σ charges;
 *   locked:  those passes locked in id order, all before any is updated (the sub-select in
 *            `passes` runs once, before its first row is written);
 *   passes:  held −= Σ holds, pending += Σ charges.
 * Amounts travel as text: exact in both drivers. Arrays carry no NULLs: a release is
 * `charged = false`, and an empty finish reason stands for none.
 */
const captureStatement = `
  WITH v AS (
    SELECT * FROM unnest(
      $1::text[], $2::boolean[], $3::bigint[], $4::int[], $5::int[], $6::int[], $7::boolean[],
      $8::text[]
    ) AS v("requestId", charged, charge, input, cached, output, aborted, finish)
  ), held AS (
    SELECT "requestId", "passId", "holdMicroUsd" FROM "LedgerEntry"
    WHERE "requestId" IN (SELECT "requestId" FROM v) AND status = 'HELD'
    ORDER BY "requestId"
    FOR UPDATE
  ), entries AS (
    UPDATE "LedgerEntry" AS e SET
      status = CASE WHEN v.charged THEN 'CHARGED' ELSE 'RELEASED' END::"LedgerStatus",
      "chargeMicroUsd" = CASE WHEN v.charged THEN LEAST(v.charge, h."holdMicroUsd") END,
      "inputTokens" = CASE WHEN v.charged THEN v.input END,
      "cachedInputTokens" = CASE WHEN v.charged THEN v.cached END,
      "outputTokens" = CASE WHEN v.charged THEN v.output END,
      aborted = v.aborted,
      "finishReason" = NULLIF(v.finish, ''),
      "capturedAt" = $9::timestamp(3)
    FROM held h JOIN v ON v."requestId" = h."requestId"
    WHERE e."requestId" = h."requestId"
    RETURNING e."requestId", e."passId", h."holdMicroUsd", e."chargeMicroUsd", v.charge, v.charged
  ), totals AS (
    SELECT "passId", sum("holdMicroUsd")::bigint AS held,
      COALESCE(sum("chargeMicroUsd"), 0)::bigint AS charged
    FROM entries WHERE "passId" IS NOT NULL GROUP BY "passId"
  ), locked AS (
    SELECT id FROM "Pass" WHERE id IN (SELECT "passId" FROM totals) ORDER BY id FOR UPDATE
  ), passes AS (
    UPDATE "Pass" AS p SET
      "heldMicroUsd" = p."heldMicroUsd" - t.held,
      "pendingMicroUsd" = p."pendingMicroUsd" + t.charged,
      "updatedAt" = now()
    FROM totals t
    WHERE p.id = t."passId" AND (SELECT count(*) FROM locked) > 0
  )
  SELECT "requestId", charged, "chargeMicroUsd"::text AS "chargeMicroUsd",
    charge::text AS "requestedMicroUsd"
  FROM entries`
