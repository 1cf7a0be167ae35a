import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'
import type { PassRef } from '../types.js'

export type GetBalanceParameters = { signal?: AbortSignal | undefined }

/** One pass's balance, in micro-USD (1 USD = 1 000 000). */
export type PassBalance = PassRef & {
  /** On-chain credit. */
  creditMicroUsd: bigint
  /** Charged, not yet settled on-chain. */
  pendingMicroUsd: bigint
  /** Worst-case cost of requests in flight. */
  heldMicroUsd: bigint
  /** What new requests may spend: credit − pending − held (zero while suspended). */
  availableMicroUsd: bigint
  /** Left by a failed settlement; the pass is suspended while above zero. */
  debtMicroUsd: bigint
  suspended: boolean
}

export type GetBalanceReturnType = PassBalance[]

export type GetBalanceErrorType = RequestErrorType

/** The balance of each of the caller's passes (`billing.balance`). */
export async function getBalance(
  client: AccessPointClient,
  parameters: GetBalanceParameters = {},
): Promise<GetBalanceReturnType> {
  return getTransport(client).call(
    (trpc, options) => trpc.billing.balance.query(undefined, options),
    { auth: 'caller', retry: true, signal: parameters.signal },
  )
}
