import { createHash, randomUUID } from 'node:crypto'
import { isDatabaseUnavailable } from '../db/isDatabaseUnavailable.js'
import type { Services } from '../trpc/context.js'
import type { Generation } from './createGeneration.js'
import { IdempotencyConflictError } from './errors.js'
import { type CompletionResult, getCompletionResult } from './getCompletionResult.js'

export type RunIdempotentParameters = {
  services: Pick<Services, 'database' | 'generations'>
  walletAddress: string
  /** The client's `Idempotency-Key`; without one the request simply runs. */
  idempotencyKey: string | undefined
  /** What makes two requests "the same": a reused key with a different request is a conflict. */
  fingerprintOf: unknown
  /** Starts the request under `requestId` (the ledger key, so it is charged at most once). */
  run(requestId: string): Promise<Generation>
  /** How long a retry waits for a first attempt running on another instance. Default 60 s. */
  waitMs?: number | undefined
}

/** A generation to read (first attempt, or a retry while it runs here), or a stored result. */
export type RunIdempotentReturnType =
  | { generation: Generation; result?: undefined }
  | { result: CompletionResult; generation?: undefined }

// Results are kept a day: longer than any client's retry loop.
const retentionMs = 24 * 60 * 60_000

/**
 * Starts a request at most once per (wallet, Idempotency-Key). The key is claimed with an insert
 * (the primary key makes exactly one claim win, across instances). A retry gets the first
 * attempt's generation while it runs in this process, its stored result once finished, or waits
 * (polling) while it runs on another instance. A first attempt that fails gives the key back, so
 * the retry runs it again.
 */
export async function runIdempotent({
  services: { database, generations },
  walletAddress,
  idempotencyKey,
  fingerprintOf,
  run,
  waitMs = 60_000,
}: RunIdempotentParameters): Promise<RunIdempotentReturnType> {
  if (!idempotencyKey) return { generation: await run(randomUUID()) }

  const key = `${walletAddress}:${idempotencyKey}`
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify(fingerprintOf, (_name, value) =>
        typeof value === 'bigint' ? `${value}n` : value,
      ),
    )
    .digest('hex')
  const requestId = `idem_${randomUUID()}`
  const claimed = await database.prisma.idempotencyRecord
    .create({
      data: { key, requestId, fingerprint, expiresAt: new Date(Date.now() + retentionMs) },
    })
    .then(
      () => true,
      (error: { code?: string }) => {
        if (error.code === 'P2002') return false
        throw error
      },
    )

  if (claimed) {
    const release = () =>
      database.prisma.idempotencyRecord.delete({ where: { key } }).catch(() => {})
    let generation: Generation
    try {
      generation = await run(requestId)
    } catch (error) {
      await release()
      throw error
    }
    // Stored in the background: the first caller reads the generation as it runs.
    void getCompletionResult(generation).then(
      (result) => storeResult(database, key, result),
      release,
    )
    return { generation }
  }

  const deadline = Date.now() + waitMs
  for (;;) {
    const record = await database.prisma.idempotencyRecord.findUnique({ where: { key } })
    if (!record)
      // The first attempt failed and gave the key back: this retry runs it.
      return runIdempotent({
        services: { database, generations },
        walletAddress,
        idempotencyKey,
        fingerprintOf,
        run,
        waitMs,
      })
    if (record.fingerprint !== fingerprint)
      throw new IdempotencyConflictError(
        'This Idempotency-Key was used for a different request. Use a new key for a new request.',
      )
    if (record.response) return { result: fromJson(record.response) }
    const running = generations.get(record.requestId, walletAddress)
    if (running) return { generation: running }
    if (Date.now() > deadline)
      throw new IdempotencyConflictError(
        'The first request with this Idempotency-Key is still running. Retry in a moment.',
      )
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

// A retry finds a finished generation in this process for a while (2 minutes by default), so
// storing its result may take as long. Without this a database blip here was an unhandled
// rejection (which stops the server process) and left the key claimed with no answer.
const storeRetryMs = 120_000

async function storeResult(
  database: RunIdempotentParameters['services']['database'],
  key: string,
  result: CompletionResult,
): Promise<void> {
  const deadline = Date.now() + storeRetryMs
  for (let backoffMs = 100; ; backoffMs = Math.min(backoffMs * 2, 5_000)) {
    try {
      await database.prisma.idempotencyRecord.update({
        where: { key },
        data: { response: toJson(result), completedAt: new Date() },
      })
      return
    } catch (error) {
      // Anything but an outage (the record was deleted, say) will not get better by retrying.
      if (!isDatabaseUnavailable(error) || Date.now() + backoffMs > deadline) return
      await new Promise((resolve) => setTimeout(resolve, backoffMs).unref())
    }
  }
}

type StoredResult = Omit<CompletionResult, 'costMicroUsd'> & { costMicroUsd: string }

function toJson(result: CompletionResult): StoredResult {
  return { ...result, costMicroUsd: result.costMicroUsd.toString() }
}

function fromJson(value: unknown): CompletionResult {
  const stored = value as StoredResult
  return { ...stored, costMicroUsd: BigInt(stored.costMicroUsd) }
}
