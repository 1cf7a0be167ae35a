import type { MicroUsd } from '@accesspoint/core'
import type { Address, Hex, PublicClient, WalletClient } from 'viem'
import type { BillingLogger } from '../billing/types.js'

/** Where passes are settled: the AccessPass contract's chain and a key that may call `settle`. */
export type SettlementChain = {
  /** viem, on the pass contract's chain. */
  publicClient: PublicClient
  /** With an `account` that holds `BILLING_ROLE` on {@link SettlementChain.contract}. */
  walletClient: WalletClient
  /** The AccessPass contract. */
  contract: Address
  chainId: number
}

/** The pino subset the worker logs with (Fastify's `app.log` fits). */
export type SettlementLogger = BillingLogger

/** How a batch that was written before this run, or by it, ended up. */
export type SettlementRecoveryOutcome =
  /** The chain had settled it already; this run recorded what it deducted. */
  | 'applied'
  /** The chain had not settled it; this run sent it again, with the same batch id. */
  | 'resent'
  /** It kept failing and the chain confirms its id was never used: FAILED, charges released. */
  | 'failed'
  /** Its transaction is still pending on-chain; the next run looks again. */
  | 'in-flight'

/**
 * What `runSettlement` reports while it runs, in order. A listener that throws stops the run
 * at that point, exactly like a crash would: whatever was written is resumed by the next run.
 */
export type SettlementProgressEvent =
  | {
      type: 'planned'
      /** Passes with charges (or debt) due. */
      passes: number
      totalMicroUsd: MicroUsd
      /** Expected transactions; gas estimates and failures may change the count. */
      batches: number
    }
  /** The batch and its claims are committed; nothing is on-chain yet. */
  | { type: 'batch-written'; batchId: Hex; passes: number; requestedMicroUsd: MicroUsd }
  /** Signed and stored as SUBMITTED; not broadcast yet. */
  | { type: 'batch-signed'; batchId: Hex; txHash: Hex; nonce: number }
  /** Broadcast; waiting for confirmations. */
  | { type: 'batch-sent'; batchId: Hex; txHash: Hex; passes: number }
  | {
      type: 'batch-confirmed'
      batchId: Hex
      txHash: Hex
      blockNumber: bigint
      passes: number
      requestedMicroUsd: MicroUsd
      deductedMicroUsd: MicroUsd
      /** Passes whose credit was short. */
      shortfalls: number
      shortfallMicroUsd: MicroUsd
    }
  /**
   * Something failed and is tried again after `delayMs`: an RPC call (backoff) or the batch's
   * transaction (reverted or dropped, re-examined first). `error` is safe to show.
   */
  | { type: 'batch-retry'; batchId: Hex; error: string; attempt: number; delayMs: number }
  /** Marked FAILED; its charges are free for the next run. */
  | { type: 'batch-failed'; batchId: Hex; error: string }
  /** A batch left PENDING or SUBMITTED by an earlier run was resolved. */
  | { type: 'recovered'; batchId: Hex; outcome: SettlementRecoveryOutcome }
  /** An RPC call outside any batch (planning) is tried again after `delayMs`. */
  | { type: 'rpc-retry'; operation: string; error: string; attempt: number; delayMs: number }

/** Retries and circuit breaker for RPC calls; see `runSettlement`. */
export type SettlementResilienceOptions = {
  retry?:
    | {
        /** Retries after the first attempt. @default 8 */
        maxAttempts?: number | undefined
        /** @default 500 */
        initialDelayMs?: number | undefined
        /** @default 15_000 */
        maxDelayMs?: number | undefined
      }
    | undefined
  breaker?:
    | {
        /** RPC failures in a row that open the circuit. @default 8 */
        consecutiveFailures?: number | undefined
        /** How long it stays open before one call may probe the RPC again. @default 60_000 */
        halfOpenAfterMs?: number | undefined
      }
    | undefined
}
