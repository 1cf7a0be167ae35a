import type { Context } from '@opentelemetry/api'
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify'

/** What one HTTP request accumulates about itself while it is served. */
export type RequestScope = {
  /**
   * Wall-clock milliseconds during which at least one AI provider call of this request was
   * running, the running one included. Overlapping calls count once, so handling time minus this
   * is never the wrong side of zero because of parallelism.
   */
  providerMs(): number
  /**
   * `X-AccessPoint-Overhead-Ms` for a response whose headers go out `elapsedMs` after the
   * request arrived: the time not spent waiting for a provider, in milliseconds, never negative.
   */
  overheadMs(elapsedMs: number): number
  /** Marks a provider call as running; call the returned function once when it ends. */
  enterProvider(): () => void
  /**
   * Adds bindings to every later log line of the request, "request completed" included. Only
   * identifiers belong here (wallet, pass): never tokens, keys, prompts or completions.
   */
  bindLog(bindings: Record<string, string>): FastifyBaseLogger
  /**
   * The OpenTelemetry context holding the request's span, set by `traceRequest` only while that
   * span records; the steps of the request (auth, roles, hold, provider, capture) start their
   * spans under it. Undefined: tracing is off, and they start none.
   */
  trace: Context | undefined
}

// Keyed by the request object, so a scope lives exactly as long as its request.
const scopes = new WeakMap<FastifyRequest, RequestScope>()

/**
 * The request's scope, created on first use. Pass `reply` where it is at hand (the `onRequest`
 * hook does): Fastify's "request completed" line is written through `reply.log`, so bindings
 * reach it only if the reply's logger is replaced too.
 */
export function getRequestScope(request: FastifyRequest, reply?: FastifyReply): RequestScope {
  const existing = scopes.get(request)
  if (existing) return existing
  let running = 0
  let since = 0
  let finishedMs = 0
  const scope: RequestScope = {
    providerMs: () => finishedMs + (running > 0 ? performance.now() - since : 0),
    overheadMs: (elapsedMs) => Math.max(0, Math.round((elapsedMs - scope.providerMs()) * 10) / 10),
    enterProvider() {
      if (running++ === 0) since = performance.now()
      let left = false
      return () => {
        if (left) return
        left = true
        if (--running === 0) finishedMs += performance.now() - since
      }
    },
    bindLog(bindings) {
      const log = request.log.child(bindings)
      request.log = log
      if (reply) reply.log = log
      return log
    },
    trace: undefined,
  }
  scopes.set(request, scope)
  return scope
}
