import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  isBrokenCircuitError,
  retry,
} from 'cockatiel'
import type { Hex } from 'viem'
import { describeRpcError } from '../access/describeRpcError.js'
import { SettlementChainUnavailableError } from './errors.js'
import type { SettlementLogger, SettlementResilienceOptions } from './types.js'

export type ChainCallRetryEvent = {
  operation: string
  batchId: Hex | undefined
  error: string
  attempt: number
  delayMs: number
}

export type CreateChainCallerParameters = {
  /** What the circuit belongs to: the RPC endpoint, i.e. the settlement's public client. */
  key: object
  chainId: number
  resilience?: SettlementResilienceOptions | undefined
  logger: SettlementLogger
  signal?: AbortSignal | undefined
  onRetry?: ((event: ChainCallRetryEvent) => void) | undefined
}

export type ChainCaller = {
  /**
   * Runs one RPC call with retries (exponential backoff, decorrelated jitter) behind the
   * circuit breaker. Transient failures that outlast the retries, and an open circuit, become
   * {@link SettlementChainUnavailableError}; anything else (a revert, a refused transaction) is
   * thrown as it is, for the caller to judge.
   */
  call<T>(operation: string, fn: () => Promise<T>, batchId?: Hex): Promise<T>
}

export const defaultResilience = {
  maxAttempts: 8,
  initialDelayMs: 500,
  maxDelayMs: 15_000,
  consecutiveFailures: 8,
  halfOpenAfterMs: 60_000,
}

type Circuit = {
  policy: CircuitBreakerPolicy
  halfOpenAfterMs: number
  openedAt: number
  logger: SettlementLogger
}

// One circuit per RPC endpoint, kept across runs: a scheduler that reuses its clients gets a run
// that fails fast while the circuit is open instead of hammering a dead endpoint every hour.
const circuits = new WeakMap<object, Circuit>()

function circuitFor(
  key: object,
  chainId: number,
  options: { consecutiveFailures: number; halfOpenAfterMs: number },
  logger: SettlementLogger,
): Circuit {
  const existing = circuits.get(key)
  if (existing) {
    existing.logger = logger
    return existing
  }
  const policy = circuitBreaker(handleWhen(isTransientRpcError), {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.consecutiveFailures),
  })
  const circuit: Circuit = { policy, halfOpenAfterMs: options.halfOpenAfterMs, openedAt: 0, logger }
  policy.onStateChange((state) => {
    if (state === CircuitState.Open) {
      circuit.openedAt = Date.now()
      circuit.logger.warn(
        { chainId, halfOpenAfterMs: options.halfOpenAfterMs },
        'settlement: RPC circuit opened; calls fail fast until a probe succeeds',
      )
    } else if (state === CircuitState.Closed)
      circuit.logger.info({ chainId }, 'settlement: RPC circuit closed; RPC recovered')
  })
  circuits.set(key, circuit)
  return circuit
}

/** Retries and a circuit breaker around the settlement worker's RPC calls (cockatiel). */
export function createChainCaller({
  key,
  chainId,
  resilience,
  logger,
  signal,
  onRetry,
}: CreateChainCallerParameters): ChainCaller {
  const maxAttempts = resilience?.retry?.maxAttempts ?? defaultResilience.maxAttempts
  const initialDelay = resilience?.retry?.initialDelayMs ?? defaultResilience.initialDelayMs
  const maxDelay = resilience?.retry?.maxDelayMs ?? defaultResilience.maxDelayMs
  const circuit = circuitFor(
    key,
    chainId,
    {
      consecutiveFailures:
        resilience?.breaker?.consecutiveFailures ?? defaultResilience.consecutiveFailures,
      halfOpenAfterMs: resilience?.breaker?.halfOpenAfterMs ?? defaultResilience.halfOpenAfterMs,
    },
    logger,
  )

  return {
    async call(operation, fn, batchId) {
      signal?.throwIfAborted()
      const policy = retry(handleWhen(isTransientRpcError), {
        maxAttempts,
        backoff: new ExponentialBackoff({ initialDelay, maxDelay }),
      })
      const listener = policy.onRetry((event) => {
        const error = 'error' in event ? describeRpcError(event.error) : 'no result'
        logger.warn(
          { chainId, operation, batchId, attempt: event.attempt, delayMs: Math.round(event.delay) },
          `settlement: RPC call failed, retrying: ${error}`,
        )
        onRetry?.({
          operation,
          batchId,
          error,
          attempt: event.attempt,
          delayMs: Math.round(event.delay),
        })
      })
      try {
        return await policy.execute(() => circuit.policy.execute(fn), signal)
      } catch (error) {
        signal?.throwIfAborted()
        if (isBrokenCircuitError(error))
          throw new SettlementChainUnavailableError({
            chainId,
            operation,
            reason: 'circuit-open',
            retryAfterSeconds: Math.max(
              1,
              Math.ceil((circuit.openedAt + circuit.halfOpenAfterMs - Date.now()) / 1_000),
            ),
          })
        if (isTransientRpcError(error))
          throw new SettlementChainUnavailableError({
            chainId,
            operation,
            reason: 'rpc',
            description: describeRpcError(error),
          })
        throw error
      } finally {
        listener.dispose()
      }
    },
  }
}

// viem's names for failures of the transport or the node, as opposed to answers (a revert, a
// refused transaction), which a retry would only repeat.
const transientNames = new Set([
  'HttpRequestError',
  'TimeoutError',
  'SocketClosedError',
  'WebSocketRequestError',
  'InternalRpcError',
  'LimitExceededRpcError',
  'ResourceUnavailableRpcError',
])
// HTTP statuses of an overloaded or failing endpoint; others (401, 404…) need an operator.
const transientStatuses = new Set([408, 425, 429, 500, 502, 503, 504])

/** Whether a failed RPC call may succeed if made again. */
export function isTransientRpcError(error: unknown): boolean {
  const seen = new Set<unknown>()
  let current: unknown = error
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current)
    const { name, status, cause } = current as { name?: unknown; status?: unknown; cause?: unknown }
    if (typeof name === 'string' && transientNames.has(name))
      return !(
        name === 'HttpRequestError' &&
        typeof status === 'number' &&
        !transientStatuses.has(status)
      )
    current = cause
  }
  return false
}
