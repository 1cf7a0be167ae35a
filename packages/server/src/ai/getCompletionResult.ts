import type { ProviderUsage } from '../providers/types.js'
import type { Generation } from './createGeneration.js'

/** A finished request as `ai.complete` and the REST API return it. */
export type CompletionResult = {
  requestId: string
  model: string
  text: string
  finishReason: string
  usage: ProviderUsage
  costMicroUsd: bigint
}

/** The result of a finished generation; throws what the generation failed with. */
export async function getCompletionResult(generation: Generation): Promise<CompletionResult> {
  await generation.finished
  // The final event straight away: reading the log through `read` costs a promise per event.
  const last = generation.outcome()
  if (!last) throw new Error('The generation ended without a result.')
  if (last.type === 'error') throw last.error
  return {
    requestId: last.requestId,
    model: last.model,
    text: generation.text(),
    finishReason: last.finishReason,
    usage: last.usage,
    costMicroUsd: last.costMicroUsd,
  }
}
