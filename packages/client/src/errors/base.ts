import type { ErrorCode } from '@accesspoint/core'
import { version } from '../version.js'

/** Where `docsPath` values are resolved, e.g. `/client/errors#network-error`. */
export const docsBaseUrl = 'https://accesspoint.dev/docs'

/**
 * Codes for failures the client detects itself, before or without a server answer. They are
 * apart from the server's {@link ErrorCode}s so that a code always says who decided it.
 */
export type ClientErrorCode =
  /** The server could not be reached, or the connection broke before an answer. */
  | 'NETWORK_ERROR'
  /** The call needs a wallet signature, but the client has no account or wallet client. */
  | 'SIGNER_REQUIRED'
  /** The call needs a session, none is kept, and the client may not sign in by itself. */
  | 'SIGN_IN_REQUIRED'
  /** This runtime lacks something the call needs (e.g. an `EventSource`). */
  | 'UNSUPPORTED_RUNTIME'
  /** The server answered, but not in a shape this client understands. */
  | 'INVALID_RESPONSE'

export type BaseErrorParameters = {
  /** The server's stable code, or one of the client's own. */
  code: ErrorCode | ClientErrorCode
  /** The HTTP status of the answer, when there was one. */
  status?: number | undefined
  cause?: unknown
  details?: string | undefined
  /** Path under {@link docsBaseUrl}, starting with `/`. */
  docsPath?: string | undefined
  /** Extra lines shown in `message`. */
  metaMessages?: string[] | undefined
  name?: string | undefined
}

export type BaseErrorType = BaseError & { name: 'AccessPointClientError' }

/**
 * The one error class of `@accesspoint/client` (viem's shape): every error it throws is a
 * subclass, except an aborted call, which rejects with the signal's reason as `fetch` does.
 *
 * `shortMessage` is a sentence for people; `code` is for programs (`switch (error.code)`).
 */
export class BaseError extends Error {
  override name = 'AccessPointClientError'
  readonly code: ErrorCode | ClientErrorCode
  readonly status: number | undefined
  readonly shortMessage: string
  readonly details: string | undefined
  readonly docsPath: string | undefined
  readonly metaMessages: string[] | undefined
  readonly version = `@accesspoint/client@${version}`

  constructor(shortMessage: string, args: BaseErrorParameters) {
    const { cause, docsPath, metaMessages } = args
    const derived = detailsOf(cause)
    // A wrapped error often carries the same sentence (a server message); say it once.
    const details = args.details ?? (derived === shortMessage ? undefined : derived)
    const message = [
      shortMessage,
      '',
      ...(metaMessages?.length ? [...metaMessages, ''] : []),
      ...(docsPath ? [`Docs: ${docsBaseUrl}${docsPath}`] : []),
      ...(details ? [`Details: ${details}`] : []),
      `Version: @accesspoint/client@${version}`,
    ].join('\n')
    super(message, cause === undefined ? undefined : { cause })
    if (args.name) this.name = args.name
    this.code = args.code
    this.status = args.status
    this.shortMessage = shortMessage
    this.details = details
    this.docsPath = docsPath
    this.metaMessages = metaMessages
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
  if (cause instanceof BaseError) return cause.details || cause.shortMessage
  // Duck-typed rather than `instanceof Error`, which fails for errors from other realms.
  if (typeof cause !== 'object' || cause === null || !('message' in cause)) return undefined
  return typeof cause.message === 'string' && cause.message ? cause.message : undefined
}
