import type { AccessPointClient } from '../client/createAccessPointClient.js'
import type { RequestErrorType } from '../errors/types.js'
import { getTransport } from '../internal/transports.js'

export type GetModelsParameters = { signal?: AbortSignal | undefined }

/** A model the caller may use, with its price in micro-USD per million tokens. */
export type Model = {
  id: string
  provider: string
  /** Served by the built-in dev provider (deterministic text, no provider key). */
  dev: boolean
  price: {
    version: number
    inputMicroUsdPerMillionTokens: bigint
    cachedInputMicroUsdPerMillionTokens: bigint
    outputMicroUsdPerMillionTokens: bigint
  }
}

export type GetModelsReturnType = Model[]

export type GetModelsErrorType = RequestErrorType

/** The models the caller's roles may use, with their prices (`ai.models`). */
export async function getModels(
  client: AccessPointClient,
  parameters: GetModelsParameters = {},
): Promise<GetModelsReturnType> {
  return getTransport(client).call((trpc, options) => trpc.ai.models.query(undefined, options), {
    auth: 'caller',
    retry: true,
    signal: parameters.signal,
  })
}
