import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { afterAll, describe, expect, test } from 'vitest'
import { registerInMemoryTracing } from '../../test/registerInMemoryTracing.js'
import { createDevProvider } from '../providers/createDevProvider.js'
import { ProviderAbortedError, ProviderError } from '../providers/errors.js'
import type { ProviderEvent } from '../providers/types.js'
import { getTracer } from './getTracer.js'
import { traceProviderStream } from './traceProviderStream.js'

const tracing = registerInMemoryTracing()
afterAll(() => tracing.close())

const prompt = 'the launch codes are 0000'

function startParent() {
  const parent = getTracer().startSpan('request')
  return { parent, parentContext: trace.setSpan(context.active(), parent) }
}

function providerSpanOf(parent: Span) {
  return tracing
    .spansOf(parent.spanContext().traceId)
    .find((span) => span.name === 'accesspoint.provider')
}

describe('traceProviderStream', () => {
  test('without a parent the stream is passed on as it is', () => {
    const events = createDevProvider({ tokenDelayMs: 0 }).stream({
      model: 'dev-mini',
      messages: [{ role: 'user', content: prompt }],
      maxTokens: 5,
    })
    expect(
      traceProviderStream({
        parent: undefined,
        events,
        provider: 'dev',
        model: 'dev-mini',
        stream: true,
      }),
    ).toBe(events)
  })

  test('one span per call: first token, usage, ended at the final event, no text', async () => {
    const { parent, parentContext } = startParent()
    const events = createDevProvider({ tokenDelayMs: 0, firstTokenDelayMs: 30 }).stream({
      model: 'dev-mini',
      messages: [{ role: 'user', content: prompt }],
      maxTokens: 5,
    })
    const seen: ProviderEvent[] = []
    let endedBeforeDoneWasRead = false
    for await (const event of traceProviderStream({
      parent: parentContext,
      events,
      provider: 'dev',
      model: 'dev-mini',
      stream: false,
    })) {
      seen.push(event)
      // What the reader does after the final event (capturing the charge) is not provider time.
      if (event.type === 'done') endedBeforeDoneWasRead = providerSpanOf(parent)?.ended === true
    }
    parent.end()
    expect(endedBeforeDoneWasRead).toBe(true)
    expect(seen.map((event) => event.type)).toEqual([
      'delta',
      'delta',
      'delta',
      'delta',
      'delta',
      'done',
    ])

    const span = providerSpanOf(parent)
    expect(span).toMatchObject({
      kind: SpanKind.CLIENT,
      parentSpanContext: { spanId: parent.spanContext().spanId },
      status: { code: SpanStatusCode.UNSET },
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'dev',
        'gen_ai.request.model': 'dev-mini',
        'accesspoint.stream': false,
        'gen_ai.usage.output_tokens': 5,
        'gen_ai.usage.input_tokens': expect.any(Number),
        'gen_ai.response.finish_reasons': ['length'],
      },
    })
    expect(span?.attributes).not.toHaveProperty('accesspoint.aborted')
    expect(span?.events.map((event) => event.name)).toEqual(['accesspoint.first_token'])
    expect(
      span?.events[0]?.attributes?.['accesspoint.time_to_first_token_ms'],
    ).toBeGreaterThanOrEqual(25)
    expect(JSON.stringify(span?.attributes)).not.toContain('launch')
  })

  test("the provider's own work runs in the span's context", async () => {
    const { parent, parentContext } = startParent()
    const active: (string | undefined)[] = []
    async function* events(): AsyncGenerator<ProviderEvent> {
      active.push(trace.getActiveSpan()?.spanContext().spanId)
      await new Promise((resolve) => setTimeout(resolve, 1))
      yield { type: 'delta', text: 'hi' }
      active.push(trace.getActiveSpan()?.spanContext().spanId)
      yield {
        type: 'done',
        usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1 },
        finishReason: 'stop',
      }
    }
    for await (const _ of traceProviderStream({
      parent: parentContext,
      events: events(),
      provider: 'p',
      model: 'm',
      stream: true,
    })) {
      // Read to the end.
    }
    parent.end()
    const spanId = providerSpanOf(parent)?.spanContext().spanId
    expect(spanId).toBeDefined()
    expect(active).toEqual([spanId, spanId])
  })

  test('a provider failure is an error; a client abort is not', async () => {
    async function* failing(error: unknown): AsyncGenerator<ProviderEvent> {
      yield { type: 'delta', text: 'partial' }
      throw error
    }
    const read = async (error: unknown) => {
      const { parent, parentContext } = startParent()
      const thrown = await (async () => {
        for await (const _ of traceProviderStream({
          parent: parentContext,
          events: failing(error),
          provider: 'up',
          model: 'm',
          stream: true,
        })) {
          // Read until it throws.
        }
      })().catch((caught: unknown) => caught)
      parent.end()
      expect(thrown).toBe(error)
      return providerSpanOf(parent)
    }

    expect(
      await read(new ProviderError('The provider refused the request.', { provider: 'up' })),
    ).toMatchObject({
      ended: true,
      attributes: { 'error.type': 'PROVIDER_ERROR' },
      status: { code: SpanStatusCode.ERROR, message: 'The provider refused the request.' },
    })
    const aborted = await read(
      new ProviderAbortedError(undefined, {
        provider: 'up',
        progress: { deltas: 1, characters: 7 },
      }),
    )
    expect(aborted).toMatchObject({
      ended: true,
      attributes: { 'accesspoint.aborted': true },
      status: { code: SpanStatusCode.UNSET },
    })
    expect(aborted?.attributes).not.toHaveProperty('error.type')
  })

  test('a reader that stops early ends the span as aborted and closes the provider stream', async () => {
    const { parent, parentContext } = startParent()
    let closed = false
    async function* events(): AsyncGenerator<ProviderEvent> {
      try {
        for (;;) yield { type: 'delta', text: 'more' }
      } finally {
        closed = true
      }
    }
    for await (const _ of traceProviderStream({
      parent: parentContext,
      events: events(),
      provider: 'p',
      model: 'm',
      stream: true,
    }))
      break
    parent.end()
    expect(closed).toBe(true)
    expect(providerSpanOf(parent)).toMatchObject({
      ended: true,
      attributes: { 'accesspoint.aborted': true },
      status: { code: SpanStatusCode.UNSET },
    })
  })
})
