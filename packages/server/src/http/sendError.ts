import { type ErrorCode, errorCodes, isBaseError } from '@accesspoint/core'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isDatabaseUnavailable } from '../db/isDatabaseUnavailable.js'
import { DatabaseUnavailableError } from '../errors/DatabaseUnavailableError.js'

const codeByStatus: Record<number, ErrorCode> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN_ROLE',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'INVALID_INPUT',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
  504: 'TIMEOUT',
}

export type ErrorBody = {
  error: { code: ErrorCode; message: string; details?: string | undefined; requestId: string }
}

/**
 * Fastify's error handler: every failure leaves as `{ error: { code, message, requestId } }` with
 * the status of its stable code. Unknown errors are logged and answered with a generic 500.
 */
export function sendError(
  thrown: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const error = isDatabaseUnavailable(thrown)
    ? new DatabaseUnavailableError({ cause: thrown })
    : thrown
  if (isBaseError(error)) {
    if (error.status >= 500) request.log.error({ err: error }, error.shortMessage)
    // toJSON(): the public shape, without cause-derived details that may name internals.
    const { code, message, details } = error.toJSON()
    return reply
      .status(error.status)
      .send({ error: { code, message, details, requestId: request.id } } satisfies ErrorBody)
  }
  // Fastify's own client errors (bad JSON, body too large, wrong content type, ...).
  const status =
    'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500
  const code =
    status < 500 ? (codeByStatus[status] ?? 'INVALID_INPUT') : (codeByStatus[status] ?? 'INTERNAL')
  if (code === 'INTERNAL') request.log.error({ err: error }, 'unhandled error')
  return reply.status(code === 'INTERNAL' ? 500 : status).send({
    error: {
      code,
      message: code === 'INTERNAL' ? errorCodes.INTERNAL.message : error.message,
      requestId: request.id,
    },
  } satisfies ErrorBody)
}
