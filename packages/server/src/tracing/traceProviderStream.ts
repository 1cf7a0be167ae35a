import { type Context, context, SpanKind, trace } from '@opentelemetry/api'
import { ProviderAbortedError } from '../providers/errors.js'
import type { ProviderEvent } from '../providers/types.js'
import { getTracer } from './getTracer.js'
import { recordSpanError } from './recordSpanError.js'

export type TraceProviderStreamParameters = {
  /** The request's trace context (`RequestScope.trace`); undefined: the events pass untouched. */
  parent: Context | undefined
  events: AsyncIterable<ProviderEvent>
  /** Configured provider name, e.g. `openai`. */
  provider: string
  /** The model id the caller asked for. */
  model: string
  /** Whether the caller reads the answer as a stream. */
  stream: boolean
}

export type TraceProviderStreamReturnType = AsyncIterable<ProviderEvent>

/**
 * The `accesspoint.provider` span around one provider call: from the first read of its stream
 * to its final event (before the charge is captured), or its failure, or the reader stopping.
 * Attributes: `gen_ai.provider.name`, `gen_ai.request.model`, `accesspoint.stream`, and at the
 * end the reported usage and finish reason; an `accesspoint.first_token` event marks the time
 * to first token. Never the messages or the generated text.
 *
 * Each read of the provider's stream runs in the span's context, so the provider's HTTP request
 * nests under it when the application instruments its HTTP client.
 */
export function traceProviderStream(
  parameters: TraceProviderStreamParameters,
): TraceProviderStreamReturnType {
  return parameters.parent ? traced(parameters.parent, parameters) : parameters.events
}

async function* traced(
  parent: Context,
  { events, provider, model, stream }: TraceProviderStreamParameters,
): AsyncGenerator<ProviderEvent, void, undefined> {
  const started = performance.now()
  const span = getTracer().startSpan(
    'accesspoint.provider',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': provider,
        'gen_ai.request.model': model,
        'accesspoint.stream': stream,
      },
    },
    parent,
  )
  const spanContext = trace.setSpan(parent, span)
  const iterator = events[Symbol.asyncIterator]()
  const next = iterator.next.bind(iterator)
  let firstToken = true
  // The inner stream ended (or threw) by itself; the span ended at the final event.
  let exhausted = false
  let ended = false
  try {
    for (;;) {
      const result = await context.with(spanContext, next)
      if (result.done) {
        exhausted = true
        return
      }
      const event = result.value
      if (event.type === 'delta' && firstToken) {
        firstToken = false
        span.addEvent('accesspoint.first_token', {
          'accesspoint.time_to_first_token_ms': Math.round(performance.now() - started),
        })
      }
      if (event.type === 'done') {
        span.setAttribute('gen_ai.usage.input_tokens', event.usage.inputTokens)
        span.setAttribute('gen_ai.usage.output_tokens', event.usage.outputTokens)
        span.setAttribute('gen_ai.response.finish_reasons', [event.finishReason])
        if (event.finishReason === 'abort') span.setAttribute('accesspoint.aborted', true)
        // The call is over: what follows (the capture) is not provider time.
        ended = true
        span.end()
      }
      yield event
    }
  } catch (error) {
    exhausted = true
    // A client abort says nothing about the provider's health.
    if (error instanceof ProviderAbortedError) span.setAttribute('accesspoint.aborted', true)
    else recordSpanError(span, error)
    throw error
  } finally {
    if (!ended) {
      // The reader stopped before the final event.
      if (!exhausted) span.setAttribute('accesspoint.aborted', true)
      span.end()
    }
    // Closes the provider's stream, as `for await` would when its reader stops early.
    if (!exhausted) await iterator.return?.()
  }
}
