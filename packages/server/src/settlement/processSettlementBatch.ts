import {
  encodeFunctionData,
  type Hex,
  keccak256,
  parseEventLogs,
  type TransactionReceipt,
} from 'viem'
import {
  getBlockNumber,
  getContractEvents,
  getTransaction,
  getTransactionCount,
  getTransactionReceipt,
  prepareTransactionRequest,
  readContract,
  sendRawTransaction,
  signTransaction,
  simulateContract,
} from 'viem/actions'
import {
  type ApplySettlementBatchReturnType,
  applySettlementBatch,
} from './applySettlementBatch.js'
import { SettlementChainUnavailableError, SettlementMismatchError } from './errors.js'
import { failSettlementBatch } from './failSettlementBatch.js'
import {
  describeFailure,
  findRevert,
  hasErrorNamed,
  type SettlementContext,
  sameHex,
  settleAbi,
  sleep,
  throwIfRejected,
} from './internal.js'
import type { StoredSettlementBatch } from './readSettlementBatch.js'
import { recordSettlementAttempt } from './recordSettlementAttempt.js'

export type ProcessSettlementBatchParameters = {
  context: SettlementContext
  /** PENDING or SUBMITTED; updated in place as the batch moves on. */
  batch: StoredSettlementBatch
}

export type ProcessSettlementBatchReturnType =
  | {
      status: 'CONFIRMED'
      txHash: Hex
      blockNumber: bigint
      result: ApplySettlementBatchReturnType
      /** This call broadcast the transaction that settled it. */
      sentHere: boolean
    }
  | { status: 'FAILED'; error: string }
  /** Its transaction is still pending (or cannot be proven dead): the next run looks again. */
  | { status: 'SUBMITTED'; error: string }

type Seen =
  | { kind: 'success'; receipt: TransactionReceipt }
  | { kind: 'reverted'; receipt: TransactionReceipt }
  | { kind: 'missing' }
  | { kind: 'pending' }

/**
 * Drives one written batch to an outcome, whatever state a run (this one or a crashed one) left
 * it in. The contract is the judge, since it refuses a batch id twice:
 *
 * 1. The stored transaction: mined successfully → wait for the confirmations and apply its
 *    events. Still pending → wait up to `receiptTimeoutMs`, then leave it in flight.
 * 2. Reverted, dropped or never sent → `isBatchSettled(batchId)`: if the contract used the id
 *    (an earlier transaction of ours did land), apply the `Settled` events found by the id.
 * 3. Otherwise send it again, with the SAME id, members and amounts (after a backoff when an
 *    attempt failed). After `maxAttempts` it ends FAILED, and its ledger entries are released,
 *    only if the chain proves the id can never be used: nothing was ever sent, or the nonce of
 *    the last transaction has been consumed (so no transaction of ours can still land) while the
 *    id is still unused. Until then it gets one more send per run (which takes that nonce) and
 *    otherwise stays SUBMITTED.
 *
 * Every transaction is signed and stored (SUBMITTED, with hash and nonce) before it is
 * broadcast, so a crash at any point leaves something step 1 or 2 can resolve.
 */
export async function processSettlementBatch({
  context,
  batch,
}: ProcessSettlementBatchParameters): Promise<ProcessSettlementBatchReturnType> {
  const { signal } = context
  let sentHere = false
  let alreadySettled = 0
  let lastChance = false
  // Hashes already known to have failed, so a loop after a failed simulation does not look again.
  const dead = new Set<string>()
  for (;;) {
    signal?.throwIfAborted()
    let failure: string | undefined
    if (batch.txHash && !dead.has(batch.txHash)) {
      const seen = await watchTransaction(context, batch, batch.txHash, sentHere)
      if (seen.kind === 'success') return confirm(context, batch, seen.receipt, sentHere)
      if (seen.kind === 'pending')
        return {
          status: 'SUBMITTED',
          error: `transaction ${batch.txHash} is still pending after ${context.receiptTimeoutMs} ms`,
        }
      dead.add(batch.txHash)
      failure =
        seen.kind === 'reverted'
          ? `transaction ${batch.txHash} reverted`
          : `transaction ${batch.txHash} was dropped`
    }

    if (await isSettled(context, batch)) return confirmFromLogs(context, batch, sentHere)

    if (failure) {
      context.logger.warn({ batchId: batch.id, error: failure }, 'settlement: attempt failed')
      context.sizer.failed()
      await recordSettlementAttempt({
        database: context.database,
        batchId: batch.id,
        now: context.now(),
        kind: 'failed',
        error: failure,
        newAttempt: false,
      })
    }

    if (batch.attempts >= context.maxAttempts) {
      const error = failure ?? `gave up after ${batch.attempts} attempts`
      if (await neverUsable(context, batch)) {
        const { released } = await failSettlementBatch({
          database: context.database,
          batchId: batch.id,
          error,
        })
        batch.status = 'FAILED'
        context.logger.error(
          { batchId: batch.id, attempts: batch.attempts, released, error },
          'settlement: batch FAILED; its charges go to the next run',
        )
        context.emit({ type: 'batch-failed', batchId: batch.id, error })
        return { status: 'FAILED', error }
      }
      if (lastChance) return { status: 'SUBMITTED', error }
      // The last transaction's nonce is still open, so it may yet land somewhere. One more
      // send with the same id takes that nonce: it settles the batch or uses the nonce up, and
      // then the next look can decide.
      lastChance = true
    }

    if (batch.attempts > 0 && (failure || !batch.txHash || dead.has(batch.txHash))) {
      const attempt = batch.attempts + 1
      const delayMs = context.retryDelay(attempt)
      context.emit({
        type: 'batch-retry',
        batchId: batch.id,
        error: failure ?? 'the last attempt failed',
        attempt,
        delayMs,
      })
      await sleep(delayMs, signal)
    }

    const sent = await send(context, batch)
    if (sent === 'sent') {
      sentHere = true
      // Signing the same request again gives the same hash: this broadcast is a new chance.
      if (batch.txHash) dead.delete(batch.txHash)
    } else if (sent === 'already-settled') {
      // The simulation and `isBatchSettled` read different states; only a load-balanced RPC
      // behind by a block does that, and not for long.
      if (++alreadySettled > 3)
        throw new SettlementMismatchError({
          batchId: batch.id,
          reason: 'settle() reverts with BatchAlreadySettled while isBatchSettled() is false',
        })
    } else {
      context.sizer.failed()
      // Counted as an attempt although nothing was signed: a simulation that keeps reverting
      // must end somewhere.
      await recordSettlementAttempt({
        database: context.database,
        batchId: batch.id,
        now: context.now(),
        kind: 'failed',
        error: sent.error,
        newAttempt: true,
      })
      batch.attempts++
      if (batch.txHash) dead.add(batch.txHash)
      context.logger.warn(
        { batchId: batch.id, attempt: batch.attempts, error: sent.error },
        'settlement: the settle() simulation reverted',
      )
    }
    // Loop: watch what was sent, or let the contract judge (already settled, or a failure).
  }
}

/** Simulates, signs, stores (SUBMITTED) and broadcasts `settle` for the stored batch. */
async function send(
  context: SettlementContext,
  batch: StoredSettlementBatch,
): Promise<'sent' | 'already-settled' | { error: string }> {
  const { caller, chain, account, contract } = context
  const args = [
    batch.id,
    batch.items.map((item) => item.tokenId),
    batch.items.map((item) => item.amountMicroUsd),
  ] as const
  try {
    await caller.call(
      'simulateContract',
      () =>
        simulateContract(chain.publicClient, {
          address: contract,
          abi: settleAbi,
          functionName: 'settle',
          args,
          account,
        }),
      batch.id,
    )
  } catch (error) {
    if (findRevert(error)?.data?.errorName === 'BatchAlreadySettled') return 'already-settled'
    throwIfRejected(context, error)
    if (findRevert(error)) return { error: describeFailure(error) }
    throw error
  }

  let serialized: Hex
  let nonce: number
  try {
    const prepared = await caller.call(
      'prepareTransactionRequest',
      () =>
        prepareTransactionRequest(chain.walletClient, {
          account,
          chain: chain.walletClient.chain,
          to: contract,
          data: encodeFunctionData({ abi: settleAbi, functionName: 'settle', args }),
        }),
      batch.id,
    )
    nonce = prepared.nonce
    serialized = await caller.call(
      'signTransaction',
      // biome-ignore lint/suspicious/noExplicitAny: viem's request union does not narrow for a generic chain
      () => signTransaction(chain.walletClient, prepared as any),
      batch.id,
    )
  } catch (error) {
    throwIfRejected(context, error)
    // The state changed between simulation and gas estimation (another run settled it…).
    if (findRevert(error) || hasErrorNamed(error, 'EstimateGasExecutionError'))
      return { error: describeFailure(error) }
    throw error
  }

  const txHash = keccak256(serialized)
  await recordSettlementAttempt({
    database: context.database,
    batchId: batch.id,
    now: context.now(),
    kind: 'signed',
    txHash,
    nonce,
  })
  batch.status = 'SUBMITTED'
  batch.txHash = txHash
  batch.txNonce = nonce
  batch.attempts++
  context.emit({ type: 'batch-signed', batchId: batch.id, txHash, nonce })

  try {
    await caller.call(
      'sendRawTransaction',
      () => sendRawTransaction(chain.walletClient, { serializedTransaction: serialized }),
      batch.id,
    )
  } catch (error) {
    throwIfRejected(context, error)
    if (error instanceof SettlementChainUnavailableError) throw error
    // "already known", "nonce too low", "replacement underpriced"…: the node answered, so
    // watching the hash (and, if it never shows up, asking the contract) tells what happened.
    context.logger.warn(
      { batchId: batch.id, txHash, error: describeFailure(error) },
      'settlement: the node refused the broadcast; re-examining',
    )
  }
  context.emit({ type: 'batch-sent', batchId: batch.id, txHash, passes: batch.items.length })
  return 'sent'
}

/**
 * Watches a transaction until it is mined and has the confirmations, or until it is known to
 * be reverted or dropped, or `receiptTimeoutMs` passes. `justSent`: we broadcast it ourselves
 * moments ago, so "unknown to the node" means "not seen yet" for `droppedAfterMs`; otherwise
 * (a hash left by an earlier run) it means dropped at once.
 */
async function watchTransaction(
  context: SettlementContext,
  batch: StoredSettlementBatch,
  hash: Hex,
  justSent: boolean,
): Promise<Seen> {
  const { caller, chain, signal } = context
  const started = Date.now()
  let unknownSince = justSent ? started : undefined
  for (;;) {
    const receipt = await caller.call(
      'getTransactionReceipt',
      () =>
        getTransactionReceipt(chain.publicClient, { hash }).catch((error: unknown) => {
          if (hasErrorNamed(error, 'TransactionReceiptNotFoundError')) return null
          throw error
        }),
      batch.id,
    )
    if (receipt) {
      if (receipt.status !== 'success') return { kind: 'reverted', receipt }
      const head = await caller.call(
        'getBlockNumber',
        () => getBlockNumber(chain.publicClient, { cacheTime: 0 }),
        batch.id,
      )
      // The receipt is fetched afresh on every round, so a reorg that moved the transaction is
      // seen as a new block number (or no receipt) rather than confirmed from the old one.
      if (head - receipt.blockNumber + 1n >= BigInt(context.confirmations))
        return { kind: 'success', receipt }
    } else {
      const known = await caller.call(
        'getTransaction',
        () =>
          getTransaction(chain.publicClient, { hash }).then(
            () => true,
            (error: unknown) => {
              if (hasErrorNamed(error, 'TransactionNotFoundError')) return false
              throw error
            },
          ),
        batch.id,
      )
      if (known) unknownSince = undefined
      else {
        if (unknownSince === undefined) return { kind: 'missing' }
        if (Date.now() - unknownSince >= context.droppedAfterMs) return { kind: 'missing' }
      }
    }
    if (Date.now() - started >= context.receiptTimeoutMs) return { kind: 'pending' }
    await sleep(context.pollingMs, signal)
  }
}

async function isSettled(context: SettlementContext, batch: StoredSettlementBatch) {
  return context.caller.call(
    'isBatchSettled',
    () =>
      readContract(context.chain.publicClient, {
        address: context.contract,
        abi: settleAbi,
        functionName: 'isBatchSettled',
        args: [batch.id],
      }),
    batch.id,
  )
}

/**
 * Whether the batch id can never be used any more, so its entries may be released: no
 * transaction was ever signed for it, or the last one's nonce is consumed and the id is still
 * unused (checked after the nonce, so a transaction mined in between is not missed). Earlier
 * transactions of the batch had lower or equal nonces.
 */
async function neverUsable(context: SettlementContext, batch: StoredSettlementBatch) {
  if (batch.txHash === null || batch.txNonce === null) return true
  const nonce = await context.caller.call(
    'getTransactionCount',
    () =>
      getTransactionCount(context.chain.publicClient, {
        address: context.account.address,
        blockTag: 'latest',
      }),
    batch.id,
  )
  if (nonce <= batch.txNonce) return false
  return !(await isSettled(context, batch))
}

/** Applies the batch's `Settled` events from a confirmed receipt. */
async function confirm(
  context: SettlementContext,
  batch: StoredSettlementBatch,
  receipt: TransactionReceipt,
  sentHere: boolean,
): Promise<ProcessSettlementBatchReturnType> {
  const events = parseEventLogs({ abi: settleAbi, logs: receipt.logs, eventName: 'Settled' })
    .filter((log) => sameHex(log.address, context.contract) && sameHex(log.args.batchId, batch.id))
    .map((log) => ({
      tokenId: log.args.tokenId,
      requestedMicroUsd: log.args.requested,
      deductedMicroUsd: log.args.deducted,
    }))
  if (events.length === 0)
    throw new SettlementMismatchError({
      batchId: batch.id,
      reason: `transaction ${receipt.transactionHash} succeeded without Settled events for it`,
    })
  const result = await applySettlementBatch({
    database: context.database,
    batchId: batch.id,
    txHash: receipt.transactionHash,
    blockNumber: receipt.blockNumber,
    events,
    now: context.now(),
  })
  batch.status = 'CONFIRMED'
  if (sentHere) context.sizer.succeeded()
  context.logger.info(
    {
      batchId: batch.id,
      txHash: receipt.transactionHash,
      blockNumber: receipt.blockNumber.toString(),
      passes: result.items.length,
      deductedMicroUsd: result.deductedMicroUsd.toString(),
      shortfalls: result.shortfalls,
      applied: result.applied,
    },
    'settlement: batch confirmed',
  )
  context.emit({
    type: 'batch-confirmed',
    batchId: batch.id,
    txHash: receipt.transactionHash,
    blockNumber: receipt.blockNumber,
    passes: result.items.length,
    requestedMicroUsd: batch.totalMicroUsd,
    deductedMicroUsd: result.deductedMicroUsd,
    shortfalls: result.shortfalls,
    shortfallMicroUsd: result.shortfallMicroUsd,
  })
  return {
    status: 'CONFIRMED',
    txHash: receipt.transactionHash,
    blockNumber: receipt.blockNumber,
    result,
    sentHere,
  }
}

// Providers cap the block range of eth_getLogs; 10 000 is within every common limit.
const logsChunk = 10_000n

/** The contract used the id: find the transaction by the batch's indexed `Settled` events. */
async function confirmFromLogs(
  context: SettlementContext,
  batch: StoredSettlementBatch,
  sentHere: boolean,
): Promise<ProcessSettlementBatchReturnType> {
  const { caller, chain } = context
  const head = await caller.call(
    'getBlockNumber',
    () => getBlockNumber(chain.publicClient, { cacheTime: 0 }),
    batch.id,
  )
  for (let from = batch.fromBlock ?? 0n; from <= head; from += logsChunk) {
    const to = from + logsChunk - 1n < head ? from + logsChunk - 1n : head
    const logs = await caller.call(
      'getContractEvents',
      () =>
        getContractEvents(chain.publicClient, {
          address: context.contract,
          abi: settleAbi,
          eventName: 'Settled',
          args: { batchId: batch.id },
          fromBlock: from,
          toBlock: to,
        }),
      batch.id,
    )
    const found = logs[0]
    if (!found) continue
    // All of a batch's events come from one transaction; its receipt has them all.
    const seen = await watchTransaction(context, batch, found.transactionHash, true)
    if (seen.kind === 'success') return confirm(context, batch, seen.receipt, sentHere)
    if (seen.kind === 'pending')
      return {
        status: 'SUBMITTED',
        error: `transaction ${found.transactionHash} is waiting for ${context.confirmations} confirmations`,
      }
    // Reorged away between the two reads: the next run judges again.
    return {
      status: 'SUBMITTED',
      error: `transaction ${found.transactionHash} disappeared after settling the batch`,
    }
  }
  throw new SettlementMismatchError({
    batchId: batch.id,
    reason: `the contract reports the id used, but no Settled event for it was found from block ${batch.fromBlock ?? 0n}`,
  })
}
