import { type ErrorCode, errorCodes, isBaseError } from '@accesspoint/core'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { RateLimitedError } from '../../auth/errors.js'
import { isDatabaseUnavailable } from '../../db/isDatabaseUnavailable.js'
import { DatabaseUnavailableError } from '../../errors/DatabaseUnavailableError.js'
import { ProviderUnavailableError } from '../../providers/errors.js'

/** OpenAI's error body, with our stable code in `code` so clients can branch on it. */
export type OpenAIErrorBody = {
  error: { message: string; type: string; param: string | null; code: ErrorCode }
}

const typeByStatus: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_quota',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
}

/** Turns any failure into OpenAI's shape and status; unknown ones are logged and kept vague. */
export function toOpenAIError(
  thrown: unknown,
  request: FastifyRequest,
): { status: number; body: OpenAIErrorBody; retryAfterSeconds?: number | undefined } {
  const error = isDatabaseUnavailable(thrown)
    ? new DatabaseUnavailableError({ cause: thrown })
    : thrown
  if (isBaseError(error)) {
    if (error.status >= 500) request.log.error({ err: error }, error.shortMessage)
    const { code, message, details } = error.toJSON()
    const retryAfterSeconds =
      error instanceof RateLimitedError || error instanceof ProviderUnavailableError
        ? error.retryAfterSeconds
        : undefined
    return {
      status: error.status,
      retryAfterSeconds,
      body: {
        error: {
          message: details ? `${message} ${details}` : message,
          type: typeByStatus[error.status] ?? 'api_error',
          param: null,
          code,
        },
      },
    }
  }
  const fastifyError = error as Partial<FastifyError>
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500
  if (status >= 500) {
    request.log.error({ err: error }, 'unhandled error')
    return {
      status: 500,
      body: {
        error: {
          message: errorCodes.INTERNAL.message,
          type: 'api_error',
          param: null,
          code: 'INTERNAL',
        },
      },
    }
  }
  // Fastify's own client errors: bad JSON, body too large, wrong content type.
  const code: ErrorCode = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT'
  return {
    status,
    body: {
      error: {
        message: fastifyError.message ?? errorCodes[code].message,
        type: 'invalid_request_error',
        param: null,
        code,
      },
    },
  }
}

/** Fastify error handler for `/v1`. */
export function sendOpenAIError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const { status, body, retryAfterSeconds } = toOpenAIError(error, request)
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds))
  return reply.status(status).send(body)
}
