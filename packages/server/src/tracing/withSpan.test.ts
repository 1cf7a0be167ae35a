import { InvalidInputError } from '@accesspoint/core'
import { context, type Span, SpanStatusCode, trace } from '@opentelemetry/api'
import { afterAll, describe, expect, test } from 'vitest'
import { registerInMemoryTracing } from '../../test/registerInMemoryTracing.js'
import { getTracer } from './getTracer.js'
import { withSpan } from './withSpan.js'

const tracing = registerInMemoryTracing()
afterAll(() => tracing.close())

/** A recording parent span and the context holding it, as `traceRequest` leaves on the scope. */
function startParent() {
  const parent = getTracer().startSpan('parent')
  return { parent, parentContext: trace.setSpan(context.active(), parent) }
}

describe('withSpan', () => {
  test('without a parent it only runs the function: no span, no span argument', async () => {
    const calls: unknown[][] = []
    const run = async (...args: unknown[]) => {
      calls.push(args)
      return 42
    }
    tracing.exporter.reset()
    expect(await withSpan(undefined, 'accesspoint.test', run, { a: 1 }, () => {})).toBe(42)
    expect(calls).toEqual([[{ a: 1 }]])
    expect(tracing.exporter.getFinishedSpans()).toEqual([])
  })

  test('with a parent: a child span, active while the function runs, described by its result', async () => {
    const { parent, parentContext } = startParent()
    let activeInside: Span | undefined
    let given: Span | undefined
    const result = await withSpan(
      parentContext,
      'accesspoint.test',
      async (parameters: { n: number }, span) => {
        given = span
        // After an await too: the context follows the async function.
        await new Promise((resolve) => setTimeout(resolve, 1))
        activeInside = trace.getActiveSpan()
        return parameters.n * 2
      },
      { n: 21 },
      (span, value) => span.setAttribute('test.result', value),
    )
    parent.end()
    expect(result).toBe(42)

    const [child] = tracing
      .spansOf(parent.spanContext().traceId)
      .filter((span) => span.name === 'accesspoint.test')
    expect(child).toBeDefined()
    expect(child?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId)
    expect(given?.spanContext().spanId).toBe(child?.spanContext().spanId)
    expect(activeInside?.spanContext().spanId).toBe(child?.spanContext().spanId)
    expect(child?.attributes).toEqual({ 'test.result': 42 })
    expect(child?.status.code).toBe(SpanStatusCode.UNSET)
    expect(child?.ended).toBe(true)
    // Nothing leaks out: after it settles the caller's context is unchanged.
    expect(trace.getActiveSpan()).toBeUndefined()
  })

  test('a rejection ends the span with status ERROR and our code, and is passed on', async () => {
    const { parent, parentContext } = startParent()
    const refusal = new InvalidInputError('The prompt "secret plan" is too long.', {
      details: 'cause with internals',
    })
    const failed = await withSpan(
      parentContext,
      'accesspoint.test',
      async () => {
        throw refusal
      },
      undefined,
    ).catch((error: unknown) => error)
    const crashed = await withSpan(
      parentContext,
      'accesspoint.test2',
      async () => {
        throw new TypeError('x is undefined in SELECT * FROM "Pass"')
      },
      undefined,
    ).catch((error: unknown) => error)
    parent.end()
    expect(failed).toBe(refusal)
    expect(crashed).toBeInstanceOf(TypeError)

    const spans = tracing.spansOf(parent.spanContext().traceId)
    const byName = (name: string) => spans.find((span) => span.name === name)
    expect(byName('accesspoint.test')).toMatchObject({
      attributes: { 'error.type': 'INVALID_INPUT' },
      // The short message clients see, not the full one with details.
      status: { code: SpanStatusCode.ERROR, message: 'The prompt "secret plan" is too long.' },
      events: [],
      ended: true,
    })
    // Anything else is named by its class only: its message may hold internals.
    expect(byName('accesspoint.test2')).toMatchObject({
      attributes: { 'error.type': 'TypeError' },
      status: { code: SpanStatusCode.ERROR, message: 'TypeError' },
      events: [],
      ended: true,
    })
  })
})
