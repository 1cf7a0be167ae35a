import { type ErrorCode, type ErrorStatus, errorCodes } from './codes.js'
import { baseErrorBrand, isBaseError } from './isBaseError.js'
import { version } from './version.js'

/** Where `docsPath` values are resolved, e.g. `/errors#invalid-amount`. */
export const docsBaseUrl = 'https://accesspoint.dev/docs'

export type BaseErrorParameters = {
  /** Stable code; sets `status`. Defaults to `'INTERNAL'`. */
  code?: ErrorCode | undefined
  cause?: unknown
  /**
   * Extra detail. Defaults to the cause's details or message, but only an explicit value is
   * sent to clients by `toJSON`.
   */
  details?: string | undefined
  /** Path under {@link docsBaseUrl}, starting with `/`. */
  docsPath?: string | undefined
  /** Extra lines shown in `message` (server-side only). */
  metaMessages?: string[] | undefined
  name?: string | undefined
}

/** The public shape of an error: what a server may send to a client. */
export type BaseErrorJson = {
  code: ErrorCode
  message: string
  details?: string
  docsPath?: string
}

export type BaseErrorType = BaseError & { name: 'AccessPointError' }

/**
 * The one error class of `@accesspoint/core`; every error it throws is a subclass.
 *
 * `message` is for logs and developers. `toJSON()` is for clients: it keeps only the code, the
 * short message and explicit details, never the cause or stack, which can hold internals.
 */
export class BaseError extends Error {
  static {
    // On the prototype, not the instance, so it shows in no enumeration or equality check.
    Object.defineProperty(BaseError.prototype, baseErrorBrand, { value: true })
  }

  override name = 'AccessPointError'
  readonly code: ErrorCode
  readonly status: ErrorStatus
  readonly shortMessage: string
  readonly details: string | undefined
  readonly docsPath: string | undefined
  readonly metaMessages: string[] | undefined
  readonly version = `@accesspoint/core@${version}`
  // Kept apart from `details` because a cause-derived value may carry internal hostnames, SQL
  // or provider responses, which must not reach clients.
  readonly #publicDetails: string | undefined

  constructor(shortMessage: string, args: BaseErrorParameters = {}) {
    const { cause, docsPath, metaMessages } = args
    const details = args.details ?? detailsOf(cause)
    const code = args.code ?? 'INTERNAL'
    const message = [
      shortMessage || errorCodes[code].message,
      '',
      ...(metaMessages?.length ? [...metaMessages, ''] : []),
      ...(docsPath ? [`Docs: ${docsBaseUrl}${docsPath}`] : []),
      ...(details ? [`Details: ${details}`] : []),
      `Version: @accesspoint/core@${version}`,
    ].join('\n')

    super(message, cause === undefined ? undefined : { cause })

    if (args.name) this.name = args.name
    this.code = code
    this.status = errorCodes[code].status
    this.shortMessage = shortMessage || errorCodes[code].message
    this.details = details
    this.docsPath = docsPath
    this.metaMessages = metaMessages
    this.#publicDetails = args.details
  }

  /** The public shape; see {@link BaseErrorJson}. Called by `JSON.stringify`. */
  toJSON(): BaseErrorJson {
    return {
      code: this.code,
      message: this.shortMessage,
      ...(this.#publicDetails ? { details: this.#publicDetails } : {}),
      ...(this.docsPath ? { docsPath: this.docsPath } : {}),
    }
  }

  /** Follows the `cause` chain from this error and returns the deepest value. */
  walk(): unknown
  /** Follows the `cause` chain from this error and returns the first value matching `fn`. */
  walk<error>(fn: (error: unknown) => error is error): error | null
  walk(fn: (error: unknown) => boolean): unknown
  walk(fn?: (error: unknown) => boolean): unknown {
    const seen = new Set<unknown>()
    let current: unknown = this
    for (;;) {
      if (fn?.(current)) return current
      seen.add(current)
      const next = causeOf(current)
      // A cycle (`a.cause = b; b.cause = a`) would otherwise never end.
      if (next === undefined || seen.has(next)) return fn ? null : current
      current = next
    }
  }
}

function causeOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('cause' in value)) return undefined
  return value.cause
}

function detailsOf(cause: unknown): string | undefined {
  if (isBaseError(cause)) return cause.details || cause.shortMessage
  // Duck-typed rather than `instanceof Error`, which fails for errors from other realms.
  if (typeof cause !== 'object' || cause === null || !('message' in cause)) return undefined
  return typeof cause.message === 'string' && cause.message ? cause.message : undefined
}
