import {
  context,
  propagation,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { getRequestScope } from '../http/getRequestScope.js'
import { getTracer } from './getTracer.js'

// OpenTelemetry's well-known methods; any other is `_OTHER`, so a span name cannot be made up.
const methods = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
])

// Shared by every request: starting a span then allocates no options object.
const serverSpan: SpanOptions = { kind: SpanKind.SERVER }

/**
 * Starts the request's server span, the parent of the `accesspoint.*` spans of its steps, and
 * ends it when the response closes (for streams, when they end). Its parent is the caller's
 * trace: a span already active here (an HTTP instrumentation's), else the W3C `traceparent`
 * header read with the registered propagator, so a bot's trace continues through the gateway.
 *
 * `route` is the metrics' route label (`getRouteLabel`), so names stay few: `POST
 * /v1/chat/completions`, `trpc ai.complete`, `trpc batch`, or just the method when no route
 * matched. Attributes: `http.request.method`, `http.route`, `http.response.status_code`,
 * `accesspoint.request_id` (the `X-Request-Id`); never the URL, whose query carries tRPC inputs.
 * Status ERROR on 5xx; 4xx are the caller's and only get `error.type`, as OpenTelemetry's HTTP
 * conventions say.
 *
 * With no SDK registered, or a request not sampled, the span does not record: then nothing else
 * happens (no context, no listener), and the request's steps start no spans either.
 */
export function traceRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  route: string,
  trpcPrefix: string,
): void {
  const active = context.active()
  const parent = trace.getSpan(active) ? active : propagation.extract(active, request.headers)
  const method = methods.has(request.method) ? request.method : '_OTHER'
  const span = getTracer().startSpan(method, serverSpan, parent)
  if (!span.isRecording()) return

  span.setAttribute('http.request.method', method)
  span.setAttribute('accesspoint.request_id', request.id)
  if (route.startsWith('trpc:')) {
    const procedure = route.slice('trpc:'.length)
    span.updateName(`trpc ${procedure}`)
    // A known procedure is as bounded as a route pattern; a batch or unknown one is not.
    span.setAttribute(
      'http.route',
      procedure === 'batch' || procedure === 'unknown'
        ? `${trpcPrefix}/:path`
        : `${trpcPrefix}/${procedure}`,
    )
  } else if (route !== 'unmatched') {
    span.updateName(`${method} ${route}`)
    span.setAttribute('http.route', route)
  }
  getRequestScope(request).trace = trace.setSpan(parent, span)

  reply.raw.once('close', () => {
    const status = reply.raw.statusCode
    span.setAttribute('http.response.status_code', status)
    if (status >= 400) span.setAttribute('error.type', String(status))
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
    span.end()
  })
}
