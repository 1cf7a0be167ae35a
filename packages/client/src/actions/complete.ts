import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type {
  InsufficientBalanceErrorType,
  ModelNotFoundErrorType,
  PaymentFailedErrorType,
  ProviderUnavailableErrorType,
} from '../errors/server.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'
import type { ChatParameters, TokenUsage } from '../types.js'
import { createIdempotencyKey } from '../utils/createIdempotencyKey.js'

export type CompleteParameters = ChatParameters

export type CompleteReturnType = {
  /** The ledger's key for this request (see `usage`). */
  requestId: string
  model: string
  text: string
  /** `stop`, `length` (cut at maxTokens), or the provider's. */
  finishReason: string
  usage: TokenUsage
  /** What was charged, in micro-USD. */
  costMicroUsd: bigint
}

export type CompleteErrorType =
  | InsufficientBalanceErrorType
  | PaymentFailedErrorType
  | ModelNotFoundErrorType
  | ProviderUnavailableErrorType
  | RequestErrorType

/**
 * One answer, returned when complete; its charge is durable by then. Transient failures are
 * retried under one idempotency key, so a retry is never run or charged twice.
 */
export async function complete(
  client: AccessPointClient,
  parameters: CompleteParameters,
): Promise<CompleteReturnType> {
  const { signal, idempotencyKey = createIdempotencyKey(), ...input } = parameters
  return getTransport(client).call(
    (trpc, options) => trpc.ai.complete.mutate({ ...input, idempotencyKey }, options),
    { auth: 'caller', retry: true, signal },
  )
}
