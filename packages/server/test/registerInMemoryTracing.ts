import { context, propagation, trace } from '@opentelemetry/api'
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node'

export type InMemoryTracing = {
  exporter: InMemorySpanExporter
  /** The finished spans of one trace. */
  spansOf(traceId: string): ReadableSpan[]
  /** Unregisters the SDK, so the API is a no-op again. */
  close(): Promise<void>
}

/**
 * The OpenTelemetry SDK as an application registers it (AsyncLocalStorage context, W3C
 * propagator, parent-based sampling), exporting every span to memory as it ends.
 */
export function registerInMemoryTracing(): InMemoryTracing {
  const exporter = new InMemorySpanExporter()
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  provider.register()
  return {
    exporter,
    spansOf: (traceId) =>
      exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId),
    async close() {
      await provider.shutdown()
      trace.disable()
      context.disable()
      propagation.disable()
    },
  }
}
