import { isBaseError } from '@accesspoint/core'
import { type Span, SpanStatusCode } from '@opentelemetry/api'

/**
 * Marks `span` failed: status ERROR and `error.type`, our stable code (`FORBIDDEN_ROLE`,
 * `PROVIDER_ERROR`, ...) or the error's class name. The description is the short message clients
 * see; the full message, cause and stack are not recorded, because they may carry SQL, upstream
 * responses or input text, and spans leave the process.
 */
export function recordSpanError(span: Span, error: unknown): void {
  if (isBaseError(error)) {
    span.setAttribute('error.type', error.code)
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.shortMessage })
    return
  }
  const type = error instanceof Error ? error.name : typeof error
  span.setAttribute('error.type', type)
  span.setStatus({ code: SpanStatusCode.ERROR, message: type })
}
