import { isBaseError } from '@accesspoint/core'
import { ProviderAbortedError } from '../providers/errors.js'
import type { ProviderEvent } from '../providers/types.js'
import type { Metrics } from './createMetrics.js'

export type InstrumentProviderStreamParameters = {
  events: AsyncIterable<ProviderEvent>
  metrics: Pick<Metrics, 'provider'>
  /** Provider name and served model id: both come from configuration, so labels stay few. */
  provider: string
  model: string
  /** Told when the call starts; the returned function when it ends (request overhead). */
  enter?: (() => () => void) | undefined
}

/**
 * Passes a provider's events through unchanged while timing the call: its duration by outcome,
 * the time to the first text, and errors by code. The call ends at the provider's final event
 * (or failure), before the caller records the charge, so billing never counts as provider time.
 */
export async function* instrumentProviderStream({
  events,
  metrics,
  provider,
  model,
  enter,
}: InstrumentProviderStreamParameters): AsyncGenerator<ProviderEvent, void, undefined> {
  const started = performance.now()
  const leave = enter?.()
  let firstToken = true
  let ended = false
  const end = (outcome: 'ok' | 'error' | 'aborted') => {
    if (ended) return
    ended = true
    leave?.()
    metrics.provider.requestDuration.observe(
      { provider, model, outcome },
      (performance.now() - started) / 1000,
    )
  }
  try {
    for await (const event of events) {
      if (event.type === 'delta' && firstToken) {
        firstToken = false
        metrics.provider.timeToFirstToken.observe(
          { provider, model },
          (performance.now() - started) / 1000,
        )
      }
      if (event.type === 'done') end(event.finishReason === 'abort' ? 'aborted' : 'ok')
      yield event
    }
  } catch (error) {
    // A client abort says nothing about the provider's health.
    if (error instanceof ProviderAbortedError) end('aborted')
    else {
      end('error')
      metrics.provider.errors.inc({ provider, code: isBaseError(error) ? error.code : 'INTERNAL' })
    }
    throw error
  } finally {
    // The consumer stopped reading before the end.
    end('aborted')
  }
}
