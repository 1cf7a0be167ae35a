import { version } from './version.js'

// A local base class because this package does not depend on `@accesspoint/core`; it has the same
// shape (viem's), so callers handle both alike: `shortMessage`, `details`, `docsPath`, `cause`.
const docsBaseUrl = 'https://accesspoint.dev/docs'

export type BaseErrorParameters = {
  cause?: unknown
  /** Extra detail. Defaults to the cause's details or message. */
  details?: string | undefined
  /** Path under the documentation site, starting with `/`. */
  docsPath?: string | undefined
  /** Extra lines shown in `message`. */
  metaMessages?: string[] | undefined
  name?: string | undefined
}

export type BaseErrorType = BaseError & { name: 'ContractsError' }

/** The one error class of `@accesspoint/contracts`; every error it throws is a subclass. */
export class BaseError extends Error {
  override name = 'ContractsError'
  readonly shortMessage: string
  readonly details: string | undefined
  readonly docsPath: string | undefined
  readonly metaMessages: string[] | undefined
  readonly version = `@accesspoint/contracts@${version}`

  constructor(shortMessage: string, args: BaseErrorParameters = {}) {
    const { cause, docsPath, metaMessages } = args
    const details = args.details ?? detailsOf(cause)
    const message = [
      shortMessage,
      '',
      ...(metaMessages?.length ? [...metaMessages, ''] : []),
      ...(docsPath ? [`Docs: ${docsBaseUrl}${docsPath}`] : []),
      ...(details ? [`Details: ${details}`] : []),
      `Version: @accesspoint/contracts@${version}`,
    ].join('\n')

    super(message, cause === undefined ? undefined : { cause })

    if (args.name) this.name = args.name
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
  if (typeof cause !== 'object' || cause === null) return undefined
  // viem's errors carry the useful part in `details`/`shortMessage`; `message` repeats metadata.
  for (const key of ['details', 'shortMessage', 'message'] as const) {
    const value: unknown = key in cause ? (cause as Record<string, unknown>)[key] : undefined
    if (typeof value === 'string' && value) return value
  }
  return undefined
}
