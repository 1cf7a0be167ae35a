import { accessPassAbi } from '@accesspoint/contracts'
import {
  type Account,
  type Address,
  type ContractFunctionRevertedError,
  type Hex,
  BaseError as ViemBaseError,
} from 'viem'
import { describeRpcError } from '../access/describeRpcError.js'
import type { Database } from '../db/createDatabase.js'
import type { BatchSizer } from './createBatchSizer.js'
import type { ChainCaller } from './createChainCaller.js'
import { SettlementRejectedError } from './errors.js'
import type { SettlementChain, SettlementLogger, SettlementProgressEvent } from './types.js'

// Shared by the worker's modules; not part of the package's API.

/** Everything one run of the worker needs while it drives batches. */
export type SettlementContext = {
  database: Pick<Database, 'prisma'>
  chain: SettlementChain
  /** The billing key. */
  account: Account
  contract: Address
  caller: ChainCaller
  confirmations: number
  /** Send attempts before a batch may end FAILED. */
  maxAttempts: number
  /** How long to wait for a transaction to be mined and confirmed before leaving it in flight. */
  receiptTimeoutMs: number
  /** How long a transaction we broadcast may be unknown to the node before it counts as dropped. */
  droppedAfterMs: number
  pollingMs: number
  /** Pause before attempt `attempt` (2, 3, …) of a batch. */
  retryDelay(attempt: number): number
  sizer: BatchSizer
  now(): Date
  signal: AbortSignal | undefined
  logger: SettlementLogger
  emit(event: SettlementProgressEvent): void
}

export const settleAbi = accessPassAbi

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Exponential from `initialMs`, capped at `maxMs`, with full jitter in its upper half. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 2))
  return Math.round(base / 2 + (Math.random() * base) / 2)
}

/** The decoded custom error of a reverted call, if the error is one. */
export function findRevert(error: unknown): ContractFunctionRevertedError | undefined {
  if (!(error instanceof ViemBaseError)) return undefined
  const found = error.walk(
    (cause) => (cause as { name?: unknown }).name === 'ContractFunctionRevertedError',
  )
  return (found as ContractFunctionRevertedError | null) ?? undefined
}

/** Whether the error chain holds an error of this viem name. */
export function hasErrorNamed(error: unknown, name: string): boolean {
  if (!(error instanceof ViemBaseError)) return false
  return error.walk((cause) => (cause as { name?: unknown }).name === name) !== null
}

/** Whether a gas estimate failed because the call needs more gas than a block (or the cap) allows. */
export function isOutOfGas(error: unknown): boolean {
  if (!(error instanceof ViemBaseError)) return false
  return (
    error.walk((cause) => {
      const { message, details } = cause as { message?: unknown; details?: unknown }
      return [message, details].some(
        (text) =>
          typeof text === 'string' &&
          /out of gas|gas required exceeds|exceeds block gas limit/i.test(text),
      )
    }) !== null
  )
}

/** A one-line, URL-free description of a failure, for `lastError`, events and logs. */
export function describeFailure(error: unknown): string {
  const revert = findRevert(error)
  if (revert?.data?.errorName)
    return `reverted with ${revert.data.errorName}(${(revert.data.args ?? []).map(String).join(', ')})`
  if (revert?.reason) return `reverted: ${revert.reason}`
  return describeRpcError(error)
}

export function sameHex(a: Hex | string, b: Hex | string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** Stops the run on failures that no retry or smaller batch can fix. */
export function throwIfRejected(context: SettlementContext, error: unknown): void {
  const base = {
    chainId: context.chain.chainId,
    contract: context.contract,
    account: context.account.address,
  }
  if (findRevert(error)?.data?.errorName === 'AccessControlUnauthorizedAccount')
    throw new SettlementRejectedError({
      ...base,
      reason: 'the key lacks BILLING_ROLE (AccessControlUnauthorizedAccount)',
      fix: 'Grant BILLING_ROLE to this key, or configure the key that holds it.',
    })
  if (hasErrorNamed(error, 'InsufficientFundsError'))
    throw new SettlementRejectedError({
      ...base,
      reason: 'insufficient funds for gas',
      fix: 'Send native currency to this key for gas.',
    })
}
