import { isBaseError } from '@accesspoint/core'
import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
  isBrokenCircuitError,
  retry,
} from 'cockatiel'
import {
  ProviderError,
  type ProviderStreamProgress,
  ProviderTimeoutError,
  type ProviderTimeoutPhase,
  ProviderUnavailableError,
} from './errors.js'
import type { Provider, ProviderEvent, ProviderLogger, ProviderRequest } from './types.js'

export type ProviderBreakerState = 'closed' | 'open' | 'half-open'

export type WithResilienceParameters = {
  retry?:
    | {
        /** Retries after the first attempt (cockatiel's `maxAttempts`). @default 2 */
        maxAttempts?: number | undefined
        /** @default 250 */
        initialDelayMs?: number | undefined
        /**
         * Longest wait between attempts. A `Retry-After` longer than this is not waited out:
         * the error goes to the client with its `retryAfterSeconds` instead. @default 2_000
         */
        maxDelayMs?: number | undefined
      }
    | undefined
  breaker?:
    | {
        /** Failures in a row that open the circuit. @default 5 */
        consecutiveFailures?: number | undefined
        /** How long it stays open before one probe request may test the provider. @default 10_000 */
        halfOpenAfterMs?: number | undefined
      }
    | undefined
  timeouts?:
    | {
        /** From the call until the first event. @default 30_000 */
        firstTokenMs?: number | undefined
        /** Between two events after the first. @default 30_000 */
        idleMs?: number | undefined
      }
    | undefined
  /** Defaults to `console` for warnings and errors. */
  logger?: ProviderLogger | undefined
  onStateChange?: ((state: ProviderBreakerState) => void) | undefined
}

export type WithResilienceReturnType = Provider & {
  /** The circuit breaker's state, e.g. for `/readyz` or metrics. */
  breakerState(): ProviderBreakerState
}

export type WithResilienceErrorType =
  | ProviderUnavailableError
  | ProviderTimeoutError
  | ProviderError

const defaults = {
  maxAttempts: 2,
  initialDelayMs: 250,
  maxDelayMs: 2_000,
  consecutiveFailures: 5,
  halfOpenAfterMs: 10_000,
  firstTokenMs: 30_000,
  idleMs: 30_000,
}

type Opened = {
  iterator: AsyncIterator<ProviderEvent>
  first: IteratorResult<ProviderEvent>
  controller: AbortController
  release: () => void
}

/**
 * Wraps a provider with retries, a circuit breaker and timeouts (cockatiel).
 *
 * - **Retries** (exponential backoff with decorrelated jitter, at least the provider's
 *   `Retry-After`) happen only until the first event is yielded. After that the caller has sent
 *   text to its client, so a failure propagates as it is and the caller bills what was generated.
 *   Retried: errors marked `retryable` (429, 5xx, network), except timeouts (the time budget is
 *   already spent) and a `Retry-After` beyond `maxDelayMs`.
 * - **Circuit breaker**: `consecutiveFailures` retryable failures in a row (each attempt counts,
 *   as do timeouts and failures mid-stream) open it. While open, calls fail at once with
 *   `ProviderUnavailableError` (`reason: 'circuit-open'`, `retryAfterSeconds` = time until the
 *   probe) and send nothing upstream. After `halfOpenAfterMs` one call probes: its first event
 *   closes the circuit, its failure reopens it. Calls during the probe fail at once too
 *   (`retryAfterSeconds: 1`) rather than wait up to `firstTokenMs` for it. Errors that say
 *   nothing about the provider's health (bad key, bad request, unknown model) do not count.
 * - **Timeouts**: no first event within `firstTokenMs`, or a gap over `idleMs` between events,
 *   aborts the upstream request and throws `ProviderTimeoutError` (`TIMEOUT`).
 *
 * Client aborts (`request.signal`) are neither failures nor retried; the inner provider's abort
 * behaviour passes through. Two cockatiel quirks: an abort during a backoff pause is noticed when
 * the pause ends (at most `maxDelayMs`), and an abort during the half-open probe counts as a
 * probe that did not fail, so it closes the circuit.
 */
export function withResilience(
  provider: Provider,
  parameters: WithResilienceParameters = {},
): WithResilienceReturnType {
  const maxAttempts = parameters.retry?.maxAttempts ?? defaults.maxAttempts
  const initialDelayMs = parameters.retry?.initialDelayMs ?? defaults.initialDelayMs
  const maxDelayMs = parameters.retry?.maxDelayMs ?? defaults.maxDelayMs
  const consecutiveFailures =
    parameters.breaker?.consecutiveFailures ?? defaults.consecutiveFailures
  const halfOpenAfterMs = parameters.breaker?.halfOpenAfterMs ?? defaults.halfOpenAfterMs
  const firstTokenMs = parameters.timeouts?.firstTokenMs ?? defaults.firstTokenMs
  const idleMs = parameters.timeouts?.idleMs ?? defaults.idleMs
  const { logger = consoleLogger, onStateChange } = parameters
  const name = provider.name

  const retryPolicy = retry(handleWhen(shouldRetry), {
    maxAttempts,
    backoff: atLeastRetryAfter(
      new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs }),
    ),
  })
  const breaker = circuitBreaker(handleWhen(countsAsFailure), {
    halfOpenAfter: halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(consecutiveFailures),
  })
  let openedAt = 0

  retryPolicy.onRetry((event) => {
    logger.debug(
      {
        provider: name,
        attempt: event.attempt,
        delayMs: Math.round(event.delay),
        ...describeFailure(event),
      },
      'provider: retrying',
    )
  })
  breaker.onStateChange((circuit) => {
    const state = toState(circuit)
    if (circuit === CircuitState.Open) {
      openedAt = Date.now()
      const last = breaker.lastFailure
      logger.warn(
        { provider: name, state, halfOpenAfterMs, ...(last ? describeFailure(last) : {}) },
        'provider: circuit opened; failing fast until a probe succeeds',
      )
    } else if (circuit === CircuitState.Closed)
      logger.warn({ provider: name, state }, 'provider: circuit closed; provider recovered')
    else logger.debug({ provider: name, state }, 'provider: circuit half-open; probing')
    onStateChange?.(state)
  })

  function shouldRetry(error: Error): boolean {
    if (!isRetryable(error) || error instanceof ProviderTimeoutError) return false
    const retryAfterSeconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds
    return !(typeof retryAfterSeconds === 'number' && retryAfterSeconds * 1_000 > maxDelayMs)
  }

  function circuitOpenError(retryAfterSeconds: number) {
    return new ProviderUnavailableError(undefined, {
      provider: name,
      reason: 'circuit-open',
      retryAfterSeconds,
      metaMessages: [`Provider: ${name}`, 'The circuit breaker is open after repeated failures.'],
    })
  }

  function secondsUntilProbe() {
    return Math.max(1, Math.ceil((openedAt + halfOpenAfterMs - Date.now()) / 1_000))
  }

  function rejectIfOpen() {
    const circuit = breaker.state
    if (circuit === CircuitState.HalfOpen) throw circuitOpenError(1)
    if (circuit !== CircuitState.Closed && Date.now() - openedAt < halfOpenAfterMs)
      throw circuitOpenError(secondsUntilProbe())
  }

  function recordFailure(error: unknown) {
    // cockatiel has no "record a failure" call; running a failing task through the breaker is
    // the same thing. When the circuit is already open this throws BrokenCircuitError instead.
    breaker
      .execute(() => {
        throw error
      })
      .catch(() => {})
  }

  function next(
    iterator: AsyncIterator<ProviderEvent>,
    controller: AbortController,
    phase: ProviderTimeoutPhase,
    progress: ProviderStreamProgress,
  ): Promise<IteratorResult<ProviderEvent>> {
    const pending = iterator.next()
    const ms = phase === 'first-token' ? firstTokenMs : idleMs
    if (!Number.isFinite(ms)) return pending
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new ProviderTimeoutError(undefined, {
          provider: name,
          phase,
          timeoutMs: ms,
          progress: { ...progress },
        })
        // The aborted provider settles `pending` later; nobody waits for it any more.
        pending.catch(() => {})
        controller.abort(error)
        reject(error)
      }, ms)
      pending.then(
        (result) => {
          clearTimeout(timer)
          resolve(result)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  }

  async function open(request: ProviderRequest): Promise<Opened> {
    // Our own controller, so that a timeout can abort the upstream call without the caller's.
    const controller = new AbortController()
    const { signal } = request
    const forward = () => controller.abort(signal?.reason)
    if (signal?.aborted) forward()
    else signal?.addEventListener('abort', forward, { once: true })
    const release = () => signal?.removeEventListener('abort', forward)
    const iterator = provider
      .stream({ ...request, signal: controller.signal })
      [Symbol.asyncIterator]()
    try {
      const first = await next(iterator, controller, 'first-token', { deltas: 0, characters: 0 })
      return { iterator, first, controller, release }
    } catch (error) {
      controller.abort()
      release()
      iterator.return?.().catch(() => {})
      throw error
    }
  }

  async function* stream(request: ProviderRequest): AsyncGenerator<ProviderEvent, void, undefined> {
    rejectIfOpen()
    let opened: Opened
    try {
      opened = await retryPolicy.execute(() => breaker.execute(() => open(request)), request.signal)
    } catch (error) {
      if (isBrokenCircuitError(error)) throw circuitOpenError(secondsUntilProbe())
      throw error
    }

    const { iterator, controller, release } = opened
    const progress: ProviderStreamProgress = { deltas: 0, characters: 0 }
    let result = opened.first
    let finished = false
    try {
      for (;;) {
        if (result.done)
          throw new ProviderError(undefined, {
            provider: name,
            details: `Provider '${name}' ended its stream without a final event.`,
          })
        const event = result.value
        if (event.type === 'done') {
          finished = true
          yield event
          return
        }
        progress.deltas++
        progress.characters += event.text.length
        yield event
        result = await next(iterator, controller, 'idle', progress)
      }
    } catch (error) {
      if (countsAsFailure(error) && !request.signal?.aborted) recordFailure(error)
      throw error
    } finally {
      release()
      if (!finished) {
        // The caller stopped reading or the stream failed: stop the upstream request too.
        controller.abort()
        iterator.return?.().catch(() => {})
      }
    }
  }

  return {
    name,
    kind: provider.kind,
    stream,
    breakerState: () => toState(breaker.state),
    ...(provider.close ? { close: provider.close } : {}),
  }
}

function isRetryable(error: unknown): boolean {
  return isBaseError(error) && (error as { retryable?: unknown }).retryable === true
}

/** What says the provider is unhealthy: retryable errors, except our own fast failures. */
function countsAsFailure(error: unknown): boolean {
  return (
    isRetryable(error) &&
    !(error instanceof ProviderUnavailableError && error.reason === 'circuit-open')
  )
}

function toState(circuit: CircuitState): ProviderBreakerState {
  if (circuit === CircuitState.Closed) return 'closed'
  if (circuit === CircuitState.HalfOpen) return 'half-open'
  return 'open'
}

function describeFailure(reason: { error: Error } | { value: unknown }) {
  if (!('error' in reason)) return {}
  const error = reason.error
  return isBaseError(error)
    ? { code: error.code, error: error.shortMessage }
    : { error: error.name }
}

function retryAfterMs(context: IRetryBackoffContext<unknown>): number {
  if (!('error' in context.result)) return 0
  const seconds = (context.result.error as { retryAfterSeconds?: unknown }).retryAfterSeconds
  return typeof seconds === 'number' ? seconds * 1_000 : 0
}

/** The exponential delay, or the provider's `Retry-After` when that is longer. */
function atLeastRetryAfter(
  factory: IBackoffFactory<unknown>,
): IBackoffFactory<IRetryBackoffContext<unknown>> {
  const wrap = (
    backoff: IBackoff<unknown>,
    context: IRetryBackoffContext<unknown>,
  ): IBackoff<IRetryBackoffContext<unknown>> => ({
    duration: Math.max(backoff.duration, retryAfterMs(context)),
    next: (nextContext) => wrap(backoff.next(nextContext), nextContext),
  })
  return { next: (context) => wrap(factory.next(context), context) }
}

const consoleLogger: ProviderLogger = {
  warn: (object, message) => console.warn(message ?? '', object),
  error: (object, message) => console.error(message ?? '', object),
  debug: () => {},
}
