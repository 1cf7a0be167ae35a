import { context, DiagLogLevel, diag, propagation, trace } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources'
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions'

/** The pino subset used here. */
export type TracingLogger = {
  info(object: object, message: string): void
  warn(object: object, message: string): void
  error(object: object, message: string): void
}

export type StartTracingParameters = {
  /** Where spans are posted: `ServerConfig['tracing'].url`. */
  url: string
  /** `service.name`, unless OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES say otherwise. */
  serviceName: string
  serviceVersion: string
  /** Gets a line when tracing starts, and the SDK's own warnings (an unreachable collector). */
  logger: TracingLogger
}

export type StartTracingReturnType = {
  /** Exports the spans still buffered, then unregisters the SDK. */
  shutdown(): Promise<void>
}

/**
 * Registers the OpenTelemetry SDK for the process: spans from `@accesspoint/server` (and any other
 * library on the OpenTelemetry API) are batched and posted as OTLP/HTTP JSON to `url`. The
 * exporter reads the other standard variables itself (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT,
 * _COMPRESSION), the provider OTEL_TRACES_SAMPLER and OTEL_BSP_*, and the resource
 * OTEL_RESOURCE_ATTRIBUTES. It also registers the W3C trace-context propagator, which is how
 * a caller's `traceparent` continues through the server.
 *
 * Call `shutdown` when the server closes, after the last request: spans still in the batch
 * would otherwise be lost.
 */
export function startTracing({
  url,
  serviceName,
  serviceVersion,
  logger,
}: StartTracingParameters): StartTracingReturnType {
  // The SDK reports export failures through `diag`, which is silent unless given a logger.
  diag.setLogger(
    {
      error: (message, ...args) => logger.error({ args }, `opentelemetry: ${message}`),
      warn: (message, ...args) => logger.warn({ args }, `opentelemetry: ${message}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  )
  const resource = defaultResource()
    .merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: serviceName,
        [ATTR_SERVICE_VERSION]: serviceVersion,
      }),
    )
    // Last, so the standard variables win as the specification says.
    .merge(detectResources({ detectors: [envDetector] }))
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  })
  provider.register()
  const endpoint = new URL(url)
  logger.info(
    {
      tracing: {
        endpoint: endpoint.origin + endpoint.pathname,
        service: resource.attributes[ATTR_SERVICE_NAME],
      },
    },
    `Tracing: OTLP/HTTP to ${endpoint.origin}${endpoint.pathname} as ${String(resource.attributes[ATTR_SERVICE_NAME])}`,
  )
  return {
    async shutdown() {
      await provider.shutdown()
      trace.disable()
      context.disable()
      propagation.disable()
      diag.disable()
    },
  }
}
