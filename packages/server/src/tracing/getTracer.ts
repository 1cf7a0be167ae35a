import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api'
import { version } from '../version.js'

let provider: TracerProvider | undefined
let tracer: Tracer | undefined

/**
 * The library's tracer, `@accesspoint/server`. The library depends on the OpenTelemetry API only:
 * until the application registers an SDK (apps/server does when `OTEL_EXPORTER_OTLP_ENDPOINT` is
 * set) its spans are non-recording no-ops.
 *
 * Looked up on each use, not once at import: the API ships an ES module and a CommonJS build,
 * each with its own fallback provider, and a tracer taken from ours before an SDK registered
 * through the other build would stay a no-op forever. The lookup is a global read and an
 * identity check; the tracer is cached per provider.
 */
export function getTracer(): Tracer {
  const current = trace.getTracerProvider()
  if (current !== provider || !tracer) {
    provider = current
    tracer = current.getTracer('@accesspoint/server', version)
  }
  return tracer
}
