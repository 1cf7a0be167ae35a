/*
 * The settlement worker: deducts captured charges from the passes' on-chain credit, exactly once.
 *
 * A run, in order:
 *   1. Resume. Every batch a crashed (or timed-out) run left PENDING or SUBMITTED is resolved
 *      before anything new is planned, by `processSettlementBatch`: receipt of the stored
 *      transaction → apply; reverted or dropped → ask the contract (`isBatchSettled`) → apply
 *      the `Settled` events found by the batch id, or send again with the SAME id. The contract
 *      refuses an id twice, so sending again is always safe, and a written batch never gets a
 *      new id.
 *   2. Plan. Unclaimed CHARGED entries captured at least `delayMs` ago, summed per pass, plus
 *      each pass's debt from an earlier shortfall (collected again); passes of this contract.
 *   3. Per batch of 10–50 passes: write it (batch, items and the claim of its entries, one
 *      transaction), simulate, sign, store hash + nonce (SUBMITTED), broadcast, wait for
 *      `confirmations`, apply (one transaction; idempotent). Nothing is sent that is not
 *      written first, and nothing is sent again that the chain may still settle.
 *
 * Batch size starts at the maximum, halves after a failure, grows by 5 after a success, and a
 * batch whose gas estimate is above half the block gas limit is split. RPC calls are retried
 * with exponential backoff and jitter behind a circuit breaker (createChainCaller); when the
 * RPC stays down, or the breaker is open, the run stops with SettlementChainUnavailableError,
 * and what it wrote is resumed by the next run. A batch that keeps failing ends FAILED with its
 * entries released, only once the chain proves its id can never be used.
 *
 * Exactly one instance should run it at a time (`withSettlementLock`), but two concurrent runs
 * cannot double-deduct either: claims skip claimed entries, and the contract refuses an id twice.
 */

import { randomBytes } from 'node:crypto'
import { InvalidInputError, type InvalidInputErrorType, type MicroUsd } from '@accesspoint/core'
import { getAddress, type Hex, toHex, BaseError as ViemBaseError } from 'viem'
import { estimateContractGas, getBlock, getChainId } from 'viem/actions'
import { consoleLogger } from '../billing/internal.js'
import type { Database } from '../db/createDatabase.js'
import { createBatchSizer } from './createBatchSizer.js'
import { createChainCaller, defaultResilience } from './createChainCaller.js'
import {
  SettlementChainUnavailableError,
  type SettlementChainUnavailableErrorType,
  type SettlementMismatchErrorType,
  SettlementRejectedError,
  type SettlementRejectedErrorType,
} from './errors.js'
import {
  backoffDelay,
  describeFailure,
  findRevert,
  isOutOfGas,
  type SettlementContext,
  settleAbi,
  throwIfRejected,
} from './internal.js'
import { listUnresolvedSettlementBatches } from './listUnresolvedSettlementBatches.js'
import { type PlannedPass, planSettlement } from './planSettlement.js'
import {
  type ProcessSettlementBatchReturnType,
  processSettlementBatch,
} from './processSettlementBatch.js'
import { readSettlementBatch, type StoredSettlementBatch } from './readSettlementBatch.js'
import type {
  SettlementChain,
  SettlementLogger,
  SettlementProgressEvent,
  SettlementResilienceOptions,
} from './types.js'
import { writeSettlementBatch } from './writeSettlementBatch.js'

export type RunSettlementParameters = {
  database: Database
  chain: SettlementChain
  /** Charges captured at least this long ago are settled. */
  delayMs: number
  /** Charges are marked settled only after this many confirmations. @default 1 */
  confirmations?: number | undefined
  /** Passes per transaction. @default { minPasses: 10, maxPasses: 50 } */
  batch?: { minPasses?: number | undefined; maxPasses?: number | undefined } | undefined
  /** Plan only: nothing is written, nothing is sent, and the chain is not called. */
  dryRun?: boolean | undefined
  /** Progress, in order; see {@link SettlementProgressEvent}. A listener that throws stops the run. */
  onProgress?: ((event: SettlementProgressEvent) => void) | undefined
  now?: (() => Date) | undefined
  /** Stops the run at the next step; what was written is resumed by the next run. */
  signal?: AbortSignal | undefined
  /** Defaults to warnings and errors on the console. */
  logger?: SettlementLogger | undefined
  /**
   * Attempts to send one batch (counted across runs) before it may end FAILED.
   * RPC retries do not count. @default 3
   */
  maxAttempts?: number | undefined
  /**
   * RPC retries and circuit breaker. The breaker belongs to `chain.publicClient` and outlives
   * the run (created with the options of the first run that uses that client), so a schedule
   * that reuses its clients fails fast while the RPC is known to be down.
   */
  resilience?: SettlementResilienceOptions | undefined
  timeouts?:
    | {
        /**
         * How long a sent transaction may take to be mined and confirmed before the run leaves
         * it in flight (SUBMITTED) and stops sending. @default 300_000
         */
        receiptMs?: number | undefined
        /** How long a transaction we broadcast may stay unknown to the node before it counts as dropped. @default 60_000 */
        droppedMs?: number | undefined
      }
    | undefined
}

export type SettlementBatchSummary = {
  batchId: Hex
  txHash?: Hex
  passes: number
  requestedMicroUsd: MicroUsd
  deductedMicroUsd: MicroUsd
  /**
   * PLANNED: dry run. SUBMITTED: still in flight on-chain when the run ended; the next run
   * resolves it first.
   */
  status: 'CONFIRMED' | 'FAILED' | 'PLANNED' | 'SUBMITTED'
  blockNumber?: bigint
  /** Left by an earlier run and resolved by this one. Always set by `runSettlement`. */
  recovered?: boolean
  /** Why it FAILED or is still SUBMITTED. */
  error?: string
}

export type SettlementPassSummary = {
  passId: string
  tokenId: bigint
  /** Always set by `runSettlement`. */
  batchId?: Hex
  chargesMicroUsd: MicroUsd
  /** Debt from an earlier shortfall collected in this batch. */
  debtMicroUsd: MicroUsd
  requestedMicroUsd: MicroUsd
  /** 0 unless the batch is CONFIRMED. */
  deductedMicroUsd: MicroUsd
  /** What the pass's credit could not cover: it is now its debt, and the pass is suspended. */
  shortfallMicroUsd: MicroUsd
}

export type RunSettlementReturnType = {
  dryRun: boolean
  batches: SettlementBatchSummary[]
  passes: SettlementPassSummary[]
  totalRequestedMicroUsd: MicroUsd
  totalDeductedMicroUsd: MicroUsd
  /** Batches left by earlier runs that this run brought to CONFIRMED or FAILED. */
  recovered: number
  /**
   * Batches left PENDING or SUBMITTED after this run (in a dry run: before it), which the next
   * run resolves first. Always set by `runSettlement`.
   */
  unresolved?: number
}

export type RunSettlementErrorType =
  | InvalidInputErrorType
  | SettlementChainUnavailableErrorType
  | SettlementRejectedErrorType
  | SettlementMismatchErrorType
  | Error

const defaults = {
  confirmations: 1,
  minPasses: 10,
  maxPasses: 50,
  maxAttempts: 3,
  receiptMs: 300_000,
  droppedMs: 60_000,
}

/**
 * Settles due charges on-chain in batches, exactly once; see the notes at the top of the file.
 *
 * @example
 * const result = await withSettlementLock(database, () =>
 *   runSettlement({ database, chain, delayMs: 24 * 3_600_000 }),
 * )
 *
 * @throws {SettlementChainUnavailableError} The RPC stayed down, or its circuit breaker is open.
 * @throws {SettlementRejectedError} The chain refuses every settlement (no BILLING_ROLE, no gas).
 * @throws {SettlementMismatchError} The chain's record of a batch disagrees with the database.
 * @throws {InvalidInputError} Bad parameters, a wallet client without an account, or an RPC that
 *   serves another chain.
 */
export async function runSettlement(
  parameters: RunSettlementParameters,
): Promise<RunSettlementReturnType> {
  const { database, chain, delayMs, signal } = parameters
  const confirmations = parameters.confirmations ?? defaults.confirmations
  const minPasses = parameters.batch?.minPasses ?? defaults.minPasses
  const maxPasses = parameters.batch?.maxPasses ?? defaults.maxPasses
  const maxAttempts = parameters.maxAttempts ?? defaults.maxAttempts
  validate({ delayMs, confirmations, minPasses, maxPasses, maxAttempts, chain })
  const now = parameters.now ?? (() => new Date())
  const logger = parameters.logger ?? consoleLogger
  const emit = (event: SettlementProgressEvent) => {
    parameters.onProgress?.(event)
    signal?.throwIfAborted()
  }
  signal?.throwIfAborted()
  const contract = getAddress(chain.contract)
  const contractAddress = contract.toLowerCase()
  const cutoff = new Date(now().getTime() - delayMs)

  if (parameters.dryRun) {
    const unresolved = await listUnresolvedSettlementBatches({
      database,
      chainId: chain.chainId,
      contractAddress,
    })
    const plan = await planSettlement({ database, chainId: chain.chainId, contractAddress, cutoff })
    const sizer = createBatchSizer({ minPasses, maxPasses })
    const result = emptyResult(true)
    for (let index = 0, start = 0; start < plan.length; index++) {
      const members = plan.slice(start, start + sizer.next(plan.length - start))
      start += members.length
      // Not an id any batch will use: a real run draws its own when it writes the batch.
      const batchId = toHex(BigInt(index + 1), { size: 32 })
      addBatch(result, {
        batchId,
        passes: members.length,
        requestedMicroUsd: sum(members),
        deductedMicroUsd: 0n,
        status: 'PLANNED',
        recovered: false,
      })
      for (const pass of members)
        result.passes.push({ ...pass, batchId, deductedMicroUsd: 0n, shortfallMicroUsd: 0n })
    }
    result.unresolved = unresolved.length
    emit({
      type: 'planned',
      passes: plan.length,
      totalMicroUsd: sum(plan),
      batches: result.batches.length,
    })
    return result
  }

  const account = chain.walletClient.account
  if (!account)
    throw new InvalidInputError(
      'The settlement wallet client has no account: create it with the key that holds BILLING_ROLE.',
    )
  const initialDelayMs =
    parameters.resilience?.retry?.initialDelayMs ?? defaultResilience.initialDelayMs
  const maxDelayMs = parameters.resilience?.retry?.maxDelayMs ?? defaultResilience.maxDelayMs
  let operation = 'start'
  const caller = createChainCaller({
    key: chain.publicClient,
    chainId: chain.chainId,
    resilience: parameters.resilience,
    logger,
    signal,
    onRetry: (event) =>
      emit(
        event.batchId
          ? {
              type: 'batch-retry',
              batchId: event.batchId,
              error: `${event.operation}: ${event.error}`,
              attempt: event.attempt,
              delayMs: event.delayMs,
            }
          : {
              type: 'rpc-retry',
              operation: event.operation,
              error: event.error,
              attempt: event.attempt,
              delayMs: event.delayMs,
            },
      ),
  })
  const context: SettlementContext = {
    database,
    chain,
    account,
    contract,
    caller: {
      call(name, fn, batchId) {
        operation = name
        return caller.call(name, fn, batchId)
      },
    },
    confirmations,
    maxAttempts,
    receiptTimeoutMs: parameters.timeouts?.receiptMs ?? defaults.receiptMs,
    droppedAfterMs: parameters.timeouts?.droppedMs ?? defaults.droppedMs,
    pollingMs: chain.publicClient.pollingInterval,
    retryDelay: (attempt) => backoffDelay(attempt, initialDelayMs, maxDelayMs),
    sizer: createBatchSizer({ minPasses, maxPasses }),
    now,
    signal,
    logger,
    emit,
  }

  try {
    return await settle({ context, contractAddress, cutoff, minPasses, maxPasses })
  } catch (error) {
    // viem's messages carry the RPC URL, which may hold an API key; ours never do.
    if (error instanceof ViemBaseError)
      throw new SettlementChainUnavailableError({
        chainId: chain.chainId,
        operation,
        reason: 'rpc',
        description: describeFailure(error),
      })
    throw error
  }
}

async function settle({
  context,
  contractAddress,
  cutoff,
  minPasses,
  maxPasses,
}: {
  context: SettlementContext
  contractAddress: string
  cutoff: Date
  minPasses: number
  maxPasses: number
}): Promise<RunSettlementReturnType> {
  const { database, chain, caller, logger, emit, sizer, signal } = context
  const result = emptyResult(false)

  const chainId = await caller.call('getChainId', () => getChainId(chain.publicClient))
  if (chainId !== chain.chainId)
    throw new InvalidInputError(
      `The settlement RPC serves chain ${chainId}, not chain ${chain.chainId}: point it at the pass contract's chain.`,
    )

  // 1. Resume.
  let inFlight = false
  for (const batchId of await listUnresolvedSettlementBatches({
    database,
    chainId: chain.chainId,
    contractAddress,
  })) {
    const batch = await readSettlementBatch({ database, batchId })
    if (!batch || (batch.status !== 'PENDING' && batch.status !== 'SUBMITTED')) continue
    logger.info(
      { batchId, status: batch.status, txHash: batch.txHash },
      'settlement: resuming a batch left by an earlier run',
    )
    const outcome = await processSettlementBatch({ context, batch })
    addOutcome(result, batch, outcome, true)
    if (outcome.status === 'SUBMITTED') inFlight = true
    else result.recovered++
    emit({
      type: 'recovered',
      batchId,
      outcome:
        outcome.status === 'CONFIRMED'
          ? outcome.sentHere
            ? 'resent'
            : 'applied'
          : outcome.status === 'FAILED'
            ? 'failed'
            : 'in-flight',
    })
  }
  if (inFlight) {
    // A transaction still pending holds the key's next nonces back; new ones would only queue.
    logger.warn({}, 'settlement: a batch is still in flight; not starting new ones this run')
    result.unresolved = result.batches.filter((batch) => batch.status === 'SUBMITTED').length
    return result
  }

  // 2. Plan.
  const plan = await planSettlement({ database, chainId: chain.chainId, contractAddress, cutoff })
  const preview = createBatchSizer({ minPasses, maxPasses })
  let expected = 0
  for (let left = plan.length; left > 0; left -= preview.next(left)) expected++
  emit({ type: 'planned', passes: plan.length, totalMicroUsd: sum(plan), batches: expected })
  if (plan.length === 0) return result

  // 3. Batches.
  const head = await caller.call('getBlock', () =>
    getBlock(chain.publicClient, { blockTag: 'latest' }),
  )
  const gasBudget = head.gasLimit / 2n
  let queue: PlannedPass[] = plan
  while (queue.length > 0) {
    signal?.throwIfAborted()
    const batchId = toHex(randomBytes(32))
    let count = sizer.next(queue.length)
    for (;;) {
      const gas = await estimateGas(context, batchId, queue.slice(0, count))
      if ((gas !== 'above-block-limit' && gas <= gasBudget) || count === 1) break
      logger.warn(
        { passes: count, gas: gas.toString(), budget: gasBudget.toString() },
        'settlement: batch above half the block gas limit; splitting',
      )
      count = sizer.tooMuchGas(count)
    }
    const members = queue.slice(0, count)
    queue = queue.slice(count)
    const batch = await writeSettlementBatch({
      database,
      batchId,
      chainId: chain.chainId,
      contractAddress,
      passIds: members.map((pass) => pass.passId),
      cutoff,
      fromBlock: head.number ?? 0n,
      now: context.now(),
    })
    // Another run claimed all of it meanwhile.
    if (!batch) continue
    emit({
      type: 'batch-written',
      batchId,
      passes: batch.items.length,
      requestedMicroUsd: batch.totalMicroUsd,
    })
    const outcome = await processSettlementBatch({ context, batch })
    addOutcome(result, batch, outcome, false)
    if (outcome.status === 'SUBMITTED') {
      logger.warn(
        { batchId, error: outcome.error },
        'settlement: a batch is still in flight; stopping this run',
      )
      break
    }
  }
  result.unresolved = result.batches.filter((batch) => batch.status === 'SUBMITTED').length
  return result
}

async function estimateGas(
  context: SettlementContext,
  batchId: Hex,
  members: readonly PlannedPass[],
): Promise<bigint | 'above-block-limit'> {
  try {
    return await context.caller.call(
      'estimateContractGas',
      () =>
        estimateContractGas(context.chain.publicClient, {
          address: context.contract,
          abi: settleAbi,
          functionName: 'settle',
          args: [
            batchId,
            members.map((pass) => pass.tokenId),
            members.map((pass) => pass.requestedMicroUsd),
          ],
          account: context.account,
        }),
      batchId,
    )
  } catch (error) {
    throwIfRejected(context, error)
    // Nodes estimate within the block gas limit and fail beyond it, rather than return a number.
    if (isOutOfGas(error)) return 'above-block-limit'
    // Nothing is written yet, and a fresh id cannot be "already settled": whatever makes
    // settle() revert here would make every batch revert.
    if (findRevert(error))
      throw new SettlementRejectedError({
        chainId: context.chain.chainId,
        contract: context.contract,
        account: context.account.address,
        reason: describeFailure(error),
        fix: 'Check the contract (paused stablecoin, treasury) and the settlement configuration.',
      })
    throw error
  }
}

function validate({
  delayMs,
  confirmations,
  minPasses,
  maxPasses,
  maxAttempts,
  chain,
}: {
  delayMs: number
  confirmations: number
  minPasses: number
  maxPasses: number
  maxAttempts: number
  chain: SettlementChain
}) {
  const issues = [
    ...(Number.isSafeInteger(delayMs) && delayMs >= 0
      ? []
      : [{ path: 'delayMs', message: 'expected a non-negative integer of milliseconds' }]),
    ...(Number.isSafeInteger(confirmations) && confirmations >= 1
      ? []
      : [{ path: 'confirmations', message: 'expected an integer of at least 1' }]),
    ...(Number.isSafeInteger(minPasses) && minPasses >= 1
      ? []
      : [{ path: 'batch.minPasses', message: 'expected an integer of at least 1' }]),
    ...(Number.isSafeInteger(maxPasses) && maxPasses >= minPasses
      ? []
      : [{ path: 'batch.maxPasses', message: 'expected an integer of at least batch.minPasses' }]),
    ...(Number.isSafeInteger(maxAttempts) && maxAttempts >= 1
      ? []
      : [{ path: 'maxAttempts', message: 'expected an integer of at least 1' }]),
    ...(Number.isSafeInteger(chain.chainId) && chain.chainId > 0
      ? []
      : [{ path: 'chain.chainId', message: 'expected a positive integer' }]),
  ]
  if (issues.length > 0) throw new InvalidInputError('Invalid settlement parameters.', { issues })
}

function emptyResult(dryRun: boolean): RunSettlementReturnType & { unresolved: number } {
  return {
    dryRun,
    batches: [],
    passes: [],
    totalRequestedMicroUsd: 0n,
    totalDeductedMicroUsd: 0n,
    recovered: 0,
    unresolved: 0,
  }
}

function sum(passes: readonly { requestedMicroUsd: MicroUsd }[]): MicroUsd {
  return passes.reduce((total, pass) => total + pass.requestedMicroUsd, 0n)
}

function addBatch(result: RunSettlementReturnType, batch: SettlementBatchSummary) {
  result.batches.push(batch)
  result.totalRequestedMicroUsd += batch.requestedMicroUsd
  result.totalDeductedMicroUsd += batch.deductedMicroUsd
}

function addOutcome(
  result: RunSettlementReturnType,
  batch: StoredSettlementBatch,
  outcome: ProcessSettlementBatchReturnType,
  recovered: boolean,
) {
  const confirmed = outcome.status === 'CONFIRMED' ? outcome : undefined
  const applied = new Map(confirmed?.result.items.map((item) => [item.passId, item]))
  addBatch(result, {
    batchId: batch.id,
    ...(confirmed
      ? { txHash: confirmed.txHash, blockNumber: confirmed.blockNumber }
      : batch.txHash
        ? { txHash: batch.txHash }
        : {}),
    passes: batch.items.length,
    requestedMicroUsd: batch.totalMicroUsd,
    deductedMicroUsd: confirmed?.result.deductedMicroUsd ?? 0n,
    status: outcome.status,
    recovered,
    ...(outcome.status === 'CONFIRMED' ? {} : { error: outcome.error }),
  })
  for (const item of batch.items)
    result.passes.push({
      passId: item.passId,
      tokenId: item.tokenId,
      batchId: batch.id,
      chargesMicroUsd: item.chargesMicroUsd,
      debtMicroUsd: item.debtMicroUsd,
      requestedMicroUsd: item.amountMicroUsd,
      deductedMicroUsd: applied.get(item.passId)?.deductedMicroUsd ?? 0n,
      shortfallMicroUsd: applied.get(item.passId)?.shortfallMicroUsd ?? 0n,
    })
}
