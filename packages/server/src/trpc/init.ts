import { type BaseError, type ErrorCode, errorCodes, isBaseError } from '@accesspoint/core'
import { initTRPC, TRPCError } from '@trpc/server'
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc'
import superjson from 'superjson'
import { RateLimitedError } from '../auth/errors.js'
import type { ApiKeyScope } from '../auth/types.js'
import { isDatabaseUnavailable } from '../db/isDatabaseUnavailable.js'
import { DatabaseUnavailableError } from '../errors/DatabaseUnavailableError.js'
import { ProviderUnavailableError } from '../providers/errors.js'
import type { Context } from './context.js'

// Our stable codes, by the tRPC code tRPC itself raises (bad input, unknown procedure, ...).
const codeByTrpcCode: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  BAD_REQUEST: 'INVALID_INPUT',
  PARSE_ERROR: 'INVALID_INPUT',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  PAYMENT_REQUIRED: 'INSUFFICIENT_BALANCE',
  UNSUPPORTED_MEDIA_TYPE: 'INVALID_INPUT',
  FORBIDDEN: 'FORBIDDEN_ROLE',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNPROCESSABLE_CONTENT: 'INVALID_INPUT',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  TIMEOUT: 'TIMEOUT',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  BAD_GATEWAY: 'PROVIDER_ERROR',
  GATEWAY_TIMEOUT: 'TIMEOUT',
}

// The tRPC code (and so the HTTP status tRPC answers with) for each of our HTTP statuses.
const trpcCodeByStatus: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  402: 'PAYMENT_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
}

/** Turns one of our errors into the TRPCError whose HTTP status matches our code's. */
export function toTRPCError(error: BaseError): TRPCError {
  return new TRPCError({
    code: trpcCodeByStatus[error.status] ?? 'INTERNAL_SERVER_ERROR',
    message: error.shortMessage,
    cause: error,
  })
}

/** What a procedure declares about who may call it; read by `authedProcedure` (procedures.ts). */
export type ProcedureMeta = {
  /** The caller needs at least one of these roles. Without it, any role will do. */
  roles?: readonly string[]
  /** The API-key scope the procedure needs; sessions have every scope. */
  scope?: ApiKeyScope
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    // Stack traces never leave the server, whatever NODE_ENV says.
    isDev: false,
    sse: {
      // Comments every 10 s keep proxies from closing a quiet stream (a model thinking, a slow
      // consumer); the client reconnects, with lastEventId, if it hears nothing for 30 s.
      ping: { enabled: true, intervalMs: 10_000 },
      client: { reconnectAfterInactivityMs: 30_000 },
    },
    errorFormatter({ shape, error }) {
      // A subscription's errors reach here without passing `publicProcedure` below.
      const cause = isDatabaseUnavailable(error.cause)
        ? new DatabaseUnavailableError({ cause: error.cause })
        : error.cause
      const code: ErrorCode = isBaseError(cause)
        ? cause.code
        : (codeByTrpcCode[error.code] ?? 'INTERNAL')
      const internal = code === 'INTERNAL'
      return {
        ...shape,
        // Internal failures get a generic message: their text may name tables, hosts or keys.
        // Ours send their short message: the composed one adds docs and version lines meant for
        // logs, which clients would otherwise show to users.
        message: internal
          ? errorCodes.INTERNAL.message
          : isBaseError(cause)
            ? cause.shortMessage
            : shape.message,
        data: {
          code: shape.data.code,
          // Subscriptions' errors come here as tRPC's INTERNAL_SERVER_ERROR (500) around ours.
          httpStatus: isBaseError(cause) ? cause.status : shape.data.httpStatus,
          path: shape.data.path,
          /** AccessPoint's stable error code (see `errorCodes` in @accesspoint/core). */
          accessPointCode: code,
          // Only explicit details: ones derived from a cause may name hosts or SQL.
          details: isBaseError(cause) ? cause.toJSON().details : undefined,
          // A stream's refusal arrives as an event after the 200, where no Retry-After header
          // can go: the wait travels in the error itself.
          retryAfterSeconds:
            cause instanceof RateLimitedError || cause instanceof ProviderUnavailableError
              ? cause.retryAfterSeconds
              : undefined,
        },
      }
    },
  })

export const router = t.router
// tRPC wraps whatever a procedure throws in an INTERNAL_SERVER_ERROR; our errors get their own
// status back here. tRPC's own errors (bad input, ...) already have the right one. A database
// that does not answer (a session lookup, an idempotency claim) is an outage: 503, not a 500.
export const publicProcedure = t.procedure.use(async ({ next }) => {
  const result = await next()
  if (result.ok) return result
  const { cause } = result.error
  if (isBaseError(cause)) throw toTRPCError(cause)
  if (isDatabaseUnavailable(cause)) throw toTRPCError(new DatabaseUnavailableError({ cause }))
  return result
})
export const createCallerFactory = t.createCallerFactory
