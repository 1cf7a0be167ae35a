import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'

export type GetUsageParameters = {
  /** `nextCursor` of the previous page; leave out for the newest entries. */
  cursor?: string | undefined
  /** 1 to 100. @default 25 */
  limit?: number | undefined
  signal?: AbortSignal | undefined
}

/** One request in the ledger (micro-USD amounts). */
export type UsageRow = {
  requestId: string
  passId: string | null
  model: string
  status: 'HELD' | 'CHARGED' | 'RELEASED'
  holdMicroUsd: bigint
  /** Set once CHARGED. */
  chargeMicroUsd: bigint | null
  inputTokens: number | null
  cachedInputTokens: number | null
  outputTokens: number | null
  stream: boolean
  aborted: boolean
  finishReason: string | null
  createdAt: Date
  capturedAt: Date | null
  /** Deducted on-chain. */
  settled: boolean
}

export type GetUsageReturnType = {
  /** Newest first. */
  items: UsageRow[]
  /** Pass it back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null
  /** Over every entry of the wallet, not just this page. */
  totals: { count: number; chargedCount: number; chargedMicroUsd: bigint }
}

export type GetUsageErrorType = RequestErrorType

/** The caller's requests and charges, newest first, a page at a time (`billing.usage`). */
export async function getUsage(
  client: AccessPointClient,
  parameters: GetUsageParameters = {},
): Promise<GetUsageReturnType> {
  const { signal, cursor, limit } = parameters
  return getTransport(client).call(
    (trpc, options) => trpc.billing.usage.query({ cursor, limit }, options),
    { auth: 'caller', retry: true, signal },
  )
}
