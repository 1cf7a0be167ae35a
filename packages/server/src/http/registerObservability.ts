import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Metrics } from '../metrics/createMetrics.js'
import { traceRequest } from '../tracing/traceRequest.js'
import { getRequestScope } from './getRequestScope.js'
import { getRouteLabel } from './getRouteLabel.js'

export type RegisterObservabilityParameters = {
  metrics: Pick<Metrics, 'http' | 'sseStreamsActive'>
  /** Where tRPC is mounted, for the `trpc:<procedure>` route label. */
  trpcPrefix: string
  procedures: ReadonlySet<string>
}

// Anything else (Node accepts dozens of methods) is one label value, not one each.
const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * Per-request observability for every route: `X-Request-Id` and `X-AccessPoint-Overhead-Ms`
 * headers, the request duration histogram, the open-SSE gauge for tRPC subscriptions, and the
 * request's OpenTelemetry span when tracing is on (`traceRequest`).
 *
 * The overhead header is computed when the headers are sent. For a plain response that is after
 * the whole request, so it is handling time minus provider time. For a stream (tRPC SSE,
 * `/v1` with `stream: true`) the headers go out before the provider has finished, so it is the
 * time up to the first byte: admission work (auth, roles, and for `/v1` the hold) minus any
 * provider time by then. Hijacked responses (the `/v1` stream) write their own headers and set
 * it themselves from the same scope.
 */
export function registerObservability(
  app: FastifyInstance,
  { metrics, trpcPrefix, procedures }: RegisterObservabilityParameters,
): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
    getRequestScope(request, reply)
    // Routing happens before `onRequest`, so the label is known now; the span is named by it.
    const route = getRouteLabel({
      routePattern: request.routeOptions.url,
      url: request.url,
      trpcPrefix,
      procedures,
    })
    traceRequest(request, reply, route, trpcPrefix)
    // `close` fires for finished, aborted and hijacked responses alike; `onResponse` skips the
    // hijacked ones.
    reply.raw.once('close', () => {
      metrics.http.requestDuration.observe(
        {
          route,
          method: methods.has(request.method) ? request.method : 'OTHER',
          status_class: `${Math.floor(reply.raw.statusCode / 100)}xx`,
        },
        reply.elapsedTime / 1000,
      )
    })
  })

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header(
      'x-accesspoint-overhead-ms',
      String(getRequestScope(request).overheadMs(reply.elapsedTime)),
    )
    if (isEventStream(reply, payload)) {
      metrics.sseStreamsActive.inc()
      reply.raw.once('close', () => metrics.sseStreamsActive.dec())
    }
    return payload
  })
}

function isEventStream(reply: FastifyReply, payload: unknown): boolean {
  // tRPC hands Fastify a fetch Response whose headers Fastify copies only after this hook.
  const type =
    payload instanceof Response
      ? payload.headers.get('content-type')
      : reply.getHeader('content-type')
  return typeof type === 'string' && type.startsWith('text/event-stream')
}
