import { BaseError, type BaseErrorParameters, errorCodes } from '@accesspoint/core'

// `details` is the only free text `toJSON` sends to clients, so every class here fills it with
// text it composed itself: provider names, model ids, numbers. What the upstream said (its error
// body, request ids) goes into `metaMessages`, which stay in logs.
type Parameters = Omit<BaseErrorParameters, 'code' | 'name'>

/** What an interrupted stream had passed on before it stopped. */
export type ProviderStreamProgress = {
  /** `delta` events yielded. */
  deltas: number
  /** UTF-16 code units of text in those deltas. */
  characters: number
}

export type ProviderErrorParameters = Parameters & {
  /** Configured provider name, e.g. `'openai'`. */
  provider: string
  /** The HTTP status the provider answered with, if any. */
  upstreamStatus?: number | undefined
  /** Whether the same request may succeed if sent again. @default false */
  retryable?: boolean | undefined
}

export type ProviderErrorType = ProviderError & { name: 'ProviderError' }

/**
 * The provider refused or failed the request in a way that sending it again will not fix: a bad
 * key (the operator must fix it), a rejected request, a malformed stream, missing usage.
 */
export class ProviderError extends BaseError {
  declare readonly code: 'PROVIDER_ERROR'
  readonly provider: string
  readonly upstreamStatus: number | undefined
  readonly retryable: boolean

  constructor(
    shortMessage: string = errorCodes.PROVIDER_ERROR.message,
    { provider, upstreamStatus, retryable = false, ...args }: ProviderErrorParameters,
  ) {
    super(shortMessage, {
      docsPath: '/errors#provider-error',
      ...args,
      code: 'PROVIDER_ERROR',
      name: 'ProviderError',
    })
    this.provider = provider
    this.upstreamStatus = upstreamStatus
    this.retryable = retryable
  }
}

export type ProviderUnavailableErrorParameters = Parameters & {
  provider: string
  /** Sent as the `Retry-After` header; from the provider's own header or the circuit breaker. */
  retryAfterSeconds?: number | undefined
  upstreamStatus?: number | undefined
  /** Why: rate limited (429), overloaded or failing (5xx), unreachable, or the breaker is open. */
  reason?: 'rate-limited' | 'upstream' | 'network' | 'circuit-open' | undefined
  /** @default true */
  retryable?: boolean | undefined
}

export type ProviderUnavailableErrorType = ProviderUnavailableError & {
  name: 'ProviderUnavailableError'
}

/** The provider is rate limiting, overloaded, failing or unreachable; trying again may work. */
export class ProviderUnavailableError extends BaseError {
  declare readonly code: 'PROVIDER_UNAVAILABLE'
  readonly provider: string
  readonly retryAfterSeconds: number | undefined
  readonly upstreamStatus: number | undefined
  readonly reason: ProviderUnavailableErrorParameters['reason']
  readonly retryable: boolean

  constructor(
    shortMessage: string = errorCodes.PROVIDER_UNAVAILABLE.message,
    {
      provider,
      retryAfterSeconds,
      upstreamStatus,
      reason,
      retryable = true,
      ...args
    }: ProviderUnavailableErrorParameters,
  ) {
    super(shortMessage, {
      docsPath: '/errors#provider-unavailable',
      details:
        retryAfterSeconds === undefined
          ? `Provider '${provider}' is unavailable.`
          : `Provider '${provider}' is unavailable. Retry after ${retryAfterSeconds} s.`,
      ...args,
      code: 'PROVIDER_UNAVAILABLE',
      name: 'ProviderUnavailableError',
    })
    this.provider = provider
    this.retryAfterSeconds = retryAfterSeconds
    this.upstreamStatus = upstreamStatus
    this.reason = reason
    this.retryable = retryable
  }
}

export type ProviderTimeoutPhase = 'first-token' | 'idle' | 'headers' | 'body'

export type ProviderTimeoutErrorParameters = Parameters & {
  provider: string
  /**
   * What took too long: the first event or the gap between two events (`withResilience`), the
   * response headers or a gap in the body bytes (the HTTP agent).
   */
  phase: ProviderTimeoutPhase
  timeoutMs?: number | undefined
  /** What was streamed before the timeout; the caller bills it. */
  progress?: ProviderStreamProgress | undefined
}

export type ProviderTimeoutErrorType = ProviderTimeoutError & { name: 'ProviderTimeoutError' }

/** The provider did not answer, or stopped answering, in time. */
export class ProviderTimeoutError extends BaseError {
  declare readonly code: 'TIMEOUT'
  readonly provider: string
  readonly phase: ProviderTimeoutPhase
  readonly timeoutMs: number | undefined
  readonly progress: ProviderStreamProgress
  readonly retryable = true

  constructor(
    shortMessage: string = errorCodes.TIMEOUT.message,
    { provider, phase, timeoutMs, progress, ...args }: ProviderTimeoutErrorParameters,
  ) {
    super(shortMessage, {
      docsPath: '/errors#timeout',
      details: `Provider '${provider}' ${phaseText[phase]}${timeoutMs === undefined ? '' : ` within ${timeoutMs} ms`}.`,
      ...args,
      code: 'TIMEOUT',
      name: 'ProviderTimeoutError',
    })
    this.provider = provider
    this.phase = phase
    this.timeoutMs = timeoutMs
    this.progress = progress ?? { deltas: 0, characters: 0 }
  }
}

const phaseText: Record<ProviderTimeoutPhase, string> = {
  'first-token': 'sent no first token',
  idle: 'stopped streaming',
  headers: 'did not answer',
  body: 'stopped sending data',
}

export type ModelNotFoundErrorParameters = Parameters & {
  model: string
  /** Model ids a client may choose instead; listed in `details`. */
  available?: readonly string[] | undefined
  /** Set when the provider itself said it does not serve the model. */
  provider?: string | undefined
}

export type ModelNotFoundErrorType = ModelNotFoundError & { name: 'ModelNotFoundError' }

/** The model id is not configured here, or the provider does not serve it. */
export class ModelNotFoundError extends BaseError {
  declare readonly code: 'MODEL_NOT_FOUND'
  readonly model: string
  readonly available: readonly string[]
  readonly provider: string | undefined
  readonly retryable = false

  constructor(
    shortMessage: string = errorCodes.MODEL_NOT_FOUND.message,
    { model, available = [], provider, ...args }: ModelNotFoundErrorParameters,
  ) {
    // The id comes from the client; a long one is cut rather than echoed in full.
    const shown = model.length > 100 ? `${model.slice(0, 100)}…` : model
    const where =
      provider === undefined
        ? `Model '${shown}' is not available.`
        : `Provider '${provider}' does not serve model '${shown}'.`
    super(shortMessage, {
      docsPath: '/errors#model-not-found',
      details: available.length ? `${where} Available models: ${available.join(', ')}.` : where,
      ...args,
      code: 'MODEL_NOT_FOUND',
      name: 'ModelNotFoundError',
    })
    this.model = model
    this.available = available
    this.provider = provider
  }
}

export type ProviderAbortedErrorParameters = Parameters & {
  provider: string
  progress: ProviderStreamProgress
  /** Input tokens, when the provider reported them before the abort (Anthropic does, first). */
  inputTokens?: number | undefined
}

export type ProviderAbortedErrorType = ProviderAbortedError & { name: 'ProviderAbortedError' }

/**
 * The caller's signal aborted an HTTP stream before the provider reported usage, so the exact
 * usage is unknown; `progress` says what was streamed. The billing layer avoids this by draining
 * the stream instead of aborting, so it is rare.
 *
 * Its code is `INTERNAL` because `@accesspoint/core` has no "cancelled" code: the client that
 * aborted is normally gone, and anyone else who sees it was cut off by the server.
 */
export class ProviderAbortedError extends BaseError {
  declare readonly code: 'INTERNAL'
  readonly provider: string
  readonly progress: ProviderStreamProgress
  readonly inputTokens: number | undefined
  readonly retryable = false

  constructor(
    shortMessage = 'The request was cancelled before the model finished.',
    { provider, progress, inputTokens, ...args }: ProviderAbortedErrorParameters,
  ) {
    super(shortMessage, {
      metaMessages: [
        `Provider: ${provider}`,
        `Streamed before the abort: ${progress.deltas} deltas, ${progress.characters} characters.`,
      ],
      ...args,
      code: 'INTERNAL',
      name: 'ProviderAbortedError',
    })
    this.provider = provider
    this.progress = progress
    this.inputTokens = inputTokens
  }
}

/** Any error of this folder. */
export type AnyProviderError =
  | ProviderError
  | ProviderUnavailableError
  | ProviderTimeoutError
  | ModelNotFoundError
  | ProviderAbortedError
