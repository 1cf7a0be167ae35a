import type { ProviderUsage } from '../providers/types.js'
import type { Generation, GenerationEvent } from './createGeneration.js'

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
  let last: GenerationEvent | undefined
  for await (const { event } of generation.read(0)) last = event
  if (!last || last.type === 'delta') throw new Error('The generation ended without a result.')
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
