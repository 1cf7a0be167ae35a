import { type Context, context, type Span, trace } from '@opentelemetry/api'
import { getTracer } from './getTracer.js'
import { recordSpanError } from './recordSpanError.js'

export type WithSpanReturnType<result> = Promise<result>

/**
 * Runs `run(parameters)` as a child span `name` of `parent`, the request's trace context
 * (`RequestScope.trace`), which is set only while the request span records. The span is the
 * active one while `run` runs, so spans started below it (ours, or a database or HTTP client
 * instrumentation's) nest under it; it ends when the promise settles, with the error's code and
 * status ERROR on a rejection, and `describe` adds attributes from the result.
 *
 * Without a parent (tracing off, or this request not sampled) it is `run(parameters)` and nothing
 * else: no span, no context, no closure. That is why it takes the function and its parameters
 * separately instead of a callback, and `describe` instead of attribute objects: the hot path
 * of a bot's requests pays for tracing only when it is on.
 */
export function withSpan<parameters, result>(
  parent: Context | undefined,
  name: string,
  run: (parameters: parameters, span?: Span) => Promise<result>,
  parameters: parameters,
  describe?: ((span: Span, result: result) => void) | undefined,
): WithSpanReturnType<result> {
  if (!parent) return run(parameters)
  return runInSpan(parent, name, run, parameters, describe)
}

async function runInSpan<parameters, result>(
  parent: Context,
  name: string,
  run: (parameters: parameters, span?: Span) => Promise<result>,
  parameters: parameters,
  describe: ((span: Span, result: result) => void) | undefined,
): Promise<result> {
  const span = getTracer().startSpan(name, undefined, parent)
  try {
    const result = await context.with(trace.setSpan(parent, span), run, undefined, parameters, span)
    describe?.(span, result)
    return result
  } catch (error) {
    recordSpanError(span, error)
    throw error
  } finally {
    span.end()
  }
}
