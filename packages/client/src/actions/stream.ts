import type { AccessPointClient } from '../client/createAccessPointClient.js'
import { NetworkError, type UnsupportedRuntimeErrorType } from '../errors/client.js'
import type {
  InsufficientBalanceErrorType,
  ModelNotFoundErrorType,
  PaymentFailedErrorType,
  ProviderUnavailableErrorType,
} from '../errors/server.js'
import type { RequestErrorType } from '../errors/types.js'
import type { Transport } from '../internal/createTransport.js'
import { getTransport } from '../internal/transports.js'
import type { ChatParameters, TokenUsage } from '../types.js'
import { createEventQueue } from '../utils/createEventQueue.js'
import { createIdempotencyKey } from '../utils/createIdempotencyKey.js'
import { defaultRetryOptions, getRetryDelay } from '../utils/getRetryDelay.js'
import { isRetryableError } from '../utils/isRetryableError.js'
import { sleep } from '../utils/sleep.js'
import { toClientError } from '../utils/toClientError.js'
import type { CompleteReturnType } from './complete.js'

export type StreamParameters = ChatParameters

/** A piece of the answer, in order. */
export type StreamDeltaEvent = { type: 'delta'; text: string }

/** The last event: the charge is durable when it arrives. */
export type StreamDoneEvent = {
  type: 'done'
  requestId: string
  model: string
  finishReason: string
  usage: TokenUsage
  /** What was charged, in micro-USD. */
  costMicroUsd: bigint
}

export type StreamEvent = StreamDeltaEvent | StreamDoneEvent

export type StreamReturnType = AsyncIterable<StreamEvent> & {
  /**
   * The whole answer with its usage and cost, when the stream ends; rejects as the iteration
   * does. Awaiting it alone (without iterating) is fine too: events are buffered.
   */
  result: Promise<CompleteReturnType>
}

export type StreamErrorType =
  | InsufficientBalanceErrorType
  | PaymentFailedErrorType
  | ModelNotFoundErrorType
  | ProviderUnavailableErrorType
  | UnsupportedRuntimeErrorType
  | RequestErrorType

/**
 * The answer as it is generated, over Server-Sent Events (`ai.stream`).
 *
 * Dropped connections are resumed, not restarted: every event carries the id
 * `<requestId>:<seq>`, and after a drop the client subscribes again (with backoff, for up to
 * `reconnectTimeoutMs` without news) passing the last id as `lastEventId`; the server continues
 * the same generation, which it neither runs nor charges twice. A start that failed before the
 * first event is retried under the same idempotency key, for the same reason. `signal` stops
 * reading (the server still finishes and bills the generation); so does leaving a `for await`
 * loop early. Events are buffered, so a slow reader loses nothing.
 *
 * @example
 * const answer = client.stream({ model: 'dev-mini', messages: [{ role: 'user', content: 'Hi' }] })
 * for await (const event of answer) if (event.type === 'delta') process.stdout.write(event.text)
 * const { costMicroUsd } = await answer.result
 */
export function stream(client: AccessPointClient, parameters: StreamParameters): StreamReturnType {
  const transport = getTransport(client)
  const { signal, idempotencyKey = createIdempotencyKey(), ...input } = parameters
  const controller = new AbortController()
  const onAbort = () => controller.abort(signal?.reason)
  if (signal?.aborted) onAbort()
  else signal?.addEventListener('abort', onAbort, { once: true })

  const queue = createEventQueue<StreamEvent>(() =>
    controller.abort(new DOMException('The stream was closed before it ended.', 'AbortError')),
  )
  const result = run(transport, { ...input, idempotencyKey }, controller.signal, (event) =>
    queue.push(event),
  ).finally(() => signal?.removeEventListener('abort', onAbort))
  result.then(
    () => queue.end(),
    (error: unknown) => queue.fail(error),
  )
  // Marked handled: a caller who only iterates still gets the error from the loop.
  result.catch(() => {})

  let iterated = false
  return {
    result,
    [Symbol.asyncIterator]() {
      if (iterated) throw new TypeError('A stream can be iterated once; call stream() again.')
      iterated = true
      return queue
    },
  }
}

type StreamInput = Omit<StreamParameters, 'signal'> & { idempotencyKey: string }

/**
 * An SSE request is a GET with the input in its URL, and proxies commonly refuse request lines
 * over 8 KiB (nginx's default buffers; Node's own limit is 16 KiB for the whole head). Longer
 * inputs are sent with a POST first (`ai.start`) and the stream then names only the request id.
 */
const maxInputInUrl = 6_000

function fitsInUrl(input: StreamInput): boolean {
  return encodeURIComponent(JSON.stringify(input)).length <= maxInputInUrl
}

async function run(
  transport: Transport,
  input: StreamInput,
  signal: AbortSignal,
  emit: (event: StreamEvent) => void,
): Promise<CompleteReturnType> {
  const trpc = await transport.trpc()
  const retry = transport.retry || defaultRetryOptions
  let lastEventId: string | undefined
  let lastEventAt = Date.now()
  let text = ''
  let retries = 0
  let renewed = false
  // A long input is started by POST, once; from then on the stream names only its request id.
  const startByPost = !fitsInUrl(input)
  let startedId: string | undefined
  for (;;) {
    signal.throwIfAborted()
    const credential = await transport.credential('caller')
    try {
      if (startByPost && startedId === undefined) {
        // Under the same idempotency key, so a retry after a lost answer is the same request.
        const started = await trpc.ai.start.mutate(input, {
          signal,
          context: { token: credential.token },
        })
        if (started.result) {
          // A retry of a request that already finished: its stored answer, not charged again.
          const { text, ...rest } = started.result
          emit({ type: 'delta', text })
          emit({ type: 'done', ...rest })
          return started.result
        }
        startedId = started.requestId
      }
      const done = await subscribeOnce({
        url: transport.url,
        subscribe: (callbacks) =>
          trpc.ai.stream.subscribe(
            // The resume point travels in the input too, so a new subscription continues the
            // generation even where the EventSource's own Last-Event-ID is lost.
            {
              ...(startedId === undefined ? input : { requestId: startedId }),
              ...(lastEventId ? { lastEventId } : {}),
            },
            { ...callbacks, signal, context: { token: credential.token } },
          ),
        onEvent: (id, event) => {
          lastEventId = id
          lastEventAt = Date.now()
          retries = 0
          if (event.type === 'delta') text += event.text
          emit(event)
        },
      })
      const { type: _type, ...rest } = done
      return { ...rest, text }
    } catch (thrown) {
      if (signal.aborted) throw signal.reason
      const error = toClientError({ error: thrown, url: transport.url })
      if (!renewed && (await transport.renewAfter(credential, error))) {
        renewed = true
        continue
      }
      const delay = nextDelay(error)
      if (delay === undefined) throw error
      retries++
      await sleep(delay, signal)
    }
  }

  function nextDelay(error: unknown): number | undefined {
    if (!isRetryableError(error)) return undefined
    // A broken connection mid-answer is resumed for as long as `reconnectTimeoutMs` allows
    // (resuming never re-runs or re-bills); anything else gets the usual number of tries.
    const resuming =
      lastEventId !== undefined &&
      (error as { code?: string }).code === 'NETWORK_ERROR' &&
      Date.now() - lastEventAt < transport.reconnectTimeoutMs
    if (!resuming && !transport.retry) return undefined
    return getRetryDelay({
      ...retry,
      ...(resuming
        ? { attempts: Number.POSITIVE_INFINITY, maxDelayMs: Math.min(retry.maxDelayMs, 5000) }
        : {}),
      retry: retries,
      retryAfterMs: (error as { retryAfterMs?: number | undefined }).retryAfterMs,
    })
  }
}

type SubscriptionCallbacks = {
  onData: (envelope: { id: string; data: StreamEvent }) => void
  onError: (error: unknown) => void
  onComplete: () => void
  onConnectionStateChange: (state: { state: string; error: unknown }) => void
}

/** One subscription, until its `done` event (resolves) or a failure (rejects). */
function subscribeOnce({
  url,
  subscribe,
  onEvent,
}: {
  url: string
  subscribe: (callbacks: SubscriptionCallbacks) => { unsubscribe(): void }
  onEvent: (id: string, event: StreamEvent) => void
}): Promise<StreamDoneEvent> {
  return new Promise((resolve, reject) => {
    let settled = false
    let subscription: { unsubscribe(): void } | undefined
    const settle = (finish: () => void) => {
      if (settled) return
      settled = true
      finish()
      // Deferred: the end may come synchronously, before subscribe() has returned.
      queueMicrotask(() => subscription?.unsubscribe())
    }
    subscription = subscribe({
      onData: ({ id, data }) => {
        if (settled) return
        onEvent(id, data)
        if (data.type === 'done') settle(() => resolve(data))
      },
      onError: (error) => settle(() => reject(error)),
      onComplete: () =>
        // The server ended the stream without its final event (a restart?): resume it.
        settle(() =>
          reject(
            new NetworkError({ url, cause: new Error('The stream ended before its final event.') }),
          ),
        ),
      onConnectionStateChange: ({ state, error }) => {
        // A dropped connection, or a retryable server error. The EventSource would reconnect
        // by itself, but only after its fixed 3 s (and forever); the caller resumes sooner, with
        // backoff and a limit.
        if (state === 'connecting' && error) settle(() => reject(error))
      },
    })
  })
}
