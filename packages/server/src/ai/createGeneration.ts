import type { ProviderEvent, ProviderUsage } from '../providers/types.js'

/** What a generation tells its consumers: text as it comes, then how it ended and what it cost. */
export type GenerationEvent =
  | { type: 'delta'; text: string }
  | {
      type: 'done'
      requestId: string
      model: string
      finishReason: string
      usage: ProviderUsage
      costMicroUsd: bigint
    }
  | { type: 'error'; error: unknown }

export type Generation = {
  requestId: string
  /** Events from `fromSeq` (0 = the first) as they arrive; pull-based, so a slow reader holds nothing up. */
  read(
    fromSeq: number,
    signal?: AbortSignal,
  ): AsyncIterable<{ seq: number; event: GenerationEvent }>
  /** Settles once the final event (done or error) is recorded. */
  finished: Promise<void>
  /** The whole text so far. */
  text(): string
  /** The final event (done or error) once it is recorded, else undefined. */
  outcome(): Exclude<GenerationEvent, { type: 'delta' }> | undefined
}

export type CreateGenerationParameters = {
  requestId: string
  events: AsyncIterable<ProviderEvent>
  /**
   * Turns the provider's final event into ours; runs (and, for billing, commits the charge) before
   * any consumer sees `done`, so a client never holds a result whose charge is not durable.
   */
  finish(
    done: Extract<ProviderEvent, { type: 'done' }>,
  ): Promise<Extract<GenerationEvent, { type: 'done' }>>
  /** Runs when the provider fails; returns the error consumers see. */
  fail(error: unknown): Promise<unknown>
}

export type CreateGenerationReturnType = Generation

/**
 * Runs one provider stream to its end, whoever is listening, and keeps its events so a client
 * that reconnects resumes where it left off (tRPC `lastEventId`) without a second run or charge.
 * The run does not stop when a reader leaves: what is generated is billed, exactly, from the
 * provider's usage report. The log is bounded by the request's `max_tokens`.
 */
export function createGeneration({
  requestId,
  events,
  finish,
  fail,
}: CreateGenerationParameters): CreateGenerationReturnType {
  const log: GenerationEvent[] = []
  // Readers waiting for the next event; each is woken once.
  const waiting = new Set<() => void>()
  let text = ''
  let outcome: Exclude<GenerationEvent, { type: 'delta' }> | undefined

  function push(event: GenerationEvent) {
    log.push(event)
    if (event.type === 'delta') text += event.text
    else outcome = event
    for (const wake of waiting) wake()
    waiting.clear()
  }

  const finished = (async () => {
    try {
      for await (const event of events) {
        if (event.type === 'delta') push(event)
        else {
          push(await finish(event))
          return
        }
      }
      throw new Error('The provider stream ended without a final event.')
    } catch (error) {
      push({ type: 'error', error: await fail(error).catch((failure: unknown) => failure) })
    }
  })()

  return {
    requestId,
    finished,
    text: () => text,
    outcome: () => outcome,
    async *read(fromSeq, signal) {
      let seq = Math.max(0, fromSeq)
      while (!signal?.aborted) {
        const event = log[seq]
        if (event) {
          yield { seq, event }
          seq++
          if (event.type !== 'delta') return
          continue
        }
        if (outcome) return
        await new Promise<void>((resolve) => {
          const onAbort = () => {
            waiting.delete(wake)
            resolve()
          }
          const wake = () => {
            signal?.removeEventListener('abort', onAbort)
            resolve()
          }
          waiting.add(wake)
          signal?.addEventListener('abort', onAbort, { once: true })
        })
      }
    },
  }
}
