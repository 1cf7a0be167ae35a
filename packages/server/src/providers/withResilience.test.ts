import { delay, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { createDevProvider } from './createDevProvider.js'
import { createOpenAIProvider } from './createOpenAIProvider.js'
import type { ProviderEvent, ProviderLogger, ProviderRequest } from './types.js'
import { type WithResilienceParameters, withResilience } from './withResilience.js'

const url = 'https://api.openai.com/v1/chat/completions'
const encoder = new TextEncoder()
const server = setupServer()
let requests = 0

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
beforeEach(() => {
  requests = 0
  server.events.on('request:start', () => {
    requests++
  })
})
afterEach(() => {
  server.resetHandlers()
  server.events.removeAllListeners()
})
afterAll(() => server.close())

const data = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`
const delta = (content: string) => data({ choices: [{ index: 0, delta: { content } }] })
const finish = [
  data({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
  data({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } }),
  'data: [DONE]\n\n',
]

/** SSE parts sent in order; a number is a pause in ms; `'stall'` never sends another byte. */
function sse(parts: readonly (string | number)[]) {
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const part of parts) {
        if (part === 'stall') return
        if (typeof part === 'number') await new Promise((resolve) => setTimeout(resolve, part))
        else controller.enqueue(encoder.encode(part))
      }
      controller.close()
    },
  })
  return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
}

const ok = () => sse([delta('Hel'), delta('lo'), ...finish])
const serverError = () =>
  HttpResponse.json({ error: { message: 'boom', type: 'server_error' } }, { status: 500 })

const request: ProviderRequest = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hi' }],
  maxTokens: 16,
}

const silent: ProviderLogger = { warn() {}, error() {}, debug() {} }

function resilient(parameters: WithResilienceParameters = {}) {
  return withResilience(createOpenAIProvider({ apiKey: 'sk-test-key-abcdefgh' }), {
    logger: silent,
    retry: { initialDelayMs: 5, maxDelayMs: 20, ...parameters.retry },
    ...(parameters.breaker ? { breaker: parameters.breaker } : {}),
    ...(parameters.timeouts ? { timeouts: parameters.timeouts } : {}),
    ...(parameters.onStateChange ? { onStateChange: parameters.onStateChange } : {}),
  })
}

async function run(
  provider: ReturnType<typeof resilient>,
  overrides: Partial<ProviderRequest> = {},
) {
  const events: ProviderEvent[] = []
  let error: (Error & Record<string, unknown>) | undefined
  try {
    for await (const event of provider.stream({ ...request, ...overrides })) events.push(event)
  } catch (caught) {
    error = caught as Error & Record<string, unknown>
  }
  return { events, error }
}

describe('retries', () => {
  test('500 twice, then success: retried before the first token', async () => {
    let calls = 0
    server.use(http.post(url, () => (++calls <= 2 ? serverError() : ok())))
    const { events, error } = await run(resilient())
    expect(error).toBeUndefined()
    expect(requests).toBe(3)
    expect(events.map((event) => event.type)).toStrictEqual(['delta', 'delta', 'done'])
  })

  test('gives up after maxAttempts retries', async () => {
    server.use(http.post(url, serverError))
    const { error } = await run(resilient({ retry: { maxAttempts: 1 } }))
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', upstreamStatus: 500 })
    expect(requests).toBe(2)
  })

  test('a failure after the first token is not retried', async () => {
    server.use(
      http.post(url, () =>
        sse([delta('partial'), data({ error: { message: 'failed', type: 'server_error' } })]),
      ),
    )
    const { events, error } = await run(resilient())
    expect(events).toStrictEqual([{ type: 'delta', text: 'partial' }])
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' })
    expect(requests).toBe(1)
  })

  test('non-retryable errors and long Retry-After are not retried', async () => {
    server.use(
      http.post(url, () => HttpResponse.json({ error: { message: 'bad' } }, { status: 400 })),
    )
    expect((await run(resilient())).error).toMatchObject({ code: 'PROVIDER_ERROR' })
    expect(requests).toBe(1)

    requests = 0
    server.use(
      http.post(url, () =>
        HttpResponse.json(
          { error: { message: 'slow down' } },
          { status: 429, headers: { 'retry-after': '60' } },
        ),
      ),
    )
    expect((await run(resilient())).error).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryAfterSeconds: 60,
    })
    expect(requests).toBe(1)
  })

  test('a short Retry-After is waited out', async () => {
    let calls = 0
    server.use(
      http.post(url, () =>
        ++calls === 1
          ? HttpResponse.json(
              { error: { message: 'slow down' } },
              { status: 429, headers: { 'retry-after-ms': '150' } },
            )
          : ok(),
      ),
    )
    const started = performance.now()
    const { error } = await run(resilient({ retry: { maxDelayMs: 1_000 } }))
    expect(error).toBeUndefined()
    expect(requests).toBe(2)
    // 150 ms rounds up to a whole second of Retry-After.
    expect(performance.now() - started).toBeGreaterThanOrEqual(990)
  })
})

describe('circuit breaker', () => {
  test('opens after 5 failures, fails fast without upstream calls, closes after a probe', async () => {
    const states: string[] = []
    let healthy = false
    server.use(http.post(url, () => (healthy ? ok() : serverError())))
    const provider = resilient({
      retry: { maxAttempts: 0 },
      breaker: { consecutiveFailures: 5, halfOpenAfterMs: 1_200 },
      onStateChange: (state) => states.push(state),
    })
    for (let i = 0; i < 5; i++) {
      expect(provider.breakerState()).toBe('closed')
      expect((await run(provider)).error).toMatchObject({ upstreamStatus: 500 })
    }
    expect(requests).toBe(5)
    expect(provider.breakerState()).toBe('open')
    expect(states).toStrictEqual(['open'])

    const started = performance.now()
    const { error } = await run(provider)
    expect(performance.now() - started).toBeLessThan(50)
    expect(error).toMatchObject({
      name: 'ProviderUnavailableError',
      code: 'PROVIDER_UNAVAILABLE',
      status: 503,
      reason: 'circuit-open',
      retryAfterSeconds: 2,
    })
    expect(requests).toBe(5)

    await new Promise((resolve) => setTimeout(resolve, 1_250))
    healthy = true
    const probe = await run(provider)
    expect(probe.error).toBeUndefined()
    expect(requests).toBe(6)
    expect(provider.breakerState()).toBe('closed')
    expect(states).toStrictEqual(['open', 'half-open', 'closed'])
  })

  test('a failed probe reopens the circuit', async () => {
    server.use(http.post(url, serverError))
    const provider = resilient({
      retry: { maxAttempts: 0 },
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 100 },
    })
    await run(provider)
    await run(provider)
    expect(provider.breakerState()).toBe('open')
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect((await run(provider)).error).toMatchObject({ upstreamStatus: 500 })
    expect(requests).toBe(3)
    expect(provider.breakerState()).toBe('open')
    expect((await run(provider)).error).toMatchObject({ reason: 'circuit-open' })
    expect(requests).toBe(3)
  })

  test('client aborts are not failures and are not retried', async () => {
    server.use(http.post(url, () => sse([delta('a'), 200, delta('b'), ...finish])))
    const provider = resilient({ breaker: { consecutiveFailures: 2 } })
    for (let i = 0; i < 4; i++) {
      const controller = new AbortController()
      const events: ProviderEvent[] = []
      const error = await (async () => {
        for await (const event of provider.stream({ ...request, signal: controller.signal })) {
          events.push(event)
          controller.abort()
        }
      })().catch((caught: unknown) => caught)
      expect(events).toHaveLength(1)
      expect(error).toMatchObject({ name: 'ProviderAbortedError', progress: { deltas: 1 } })
    }
    // An abort before anything arrived is not retried either.
    expect((await run(provider, { signal: AbortSignal.abort() })).error).toMatchObject({
      name: 'ProviderAbortedError',
    })
    expect(requests).toBe(4)
    expect(provider.breakerState()).toBe('closed')
  })

  test('bad requests do not open the circuit', async () => {
    server.use(
      http.post(url, () => HttpResponse.json({ error: { message: 'bad' } }, { status: 400 })),
    )
    const provider = resilient({ breaker: { consecutiveFailures: 2 } })
    for (let i = 0; i < 3; i++) await run(provider)
    expect(provider.breakerState()).toBe('closed')
  })
})

describe('timeouts', () => {
  test('no first token in time: TIMEOUT, upstream aborted, not retried', async () => {
    let aborted = false
    server.use(
      http.post(url, async ({ request }) => {
        request.signal.addEventListener('abort', () => {
          aborted = true
        })
        await delay(2_000)
        return ok()
      }),
    )
    const started = performance.now()
    const { error } = await run(resilient({ timeouts: { firstTokenMs: 100 } }))
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(error).toMatchObject({
      name: 'ProviderTimeoutError',
      code: 'TIMEOUT',
      status: 504,
      phase: 'first-token',
      timeoutMs: 100,
    })
    expect(requests).toBe(1)
    expect(aborted).toBe(true)
  })

  test('a stalled stream: TIMEOUT after the idle time, with what was streamed', async () => {
    server.use(http.post(url, () => sse([delta('one'), delta(' two'), 'stall'])))
    const started = performance.now()
    const { events, error } = await run(resilient({ timeouts: { idleMs: 150 } }))
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(events).toStrictEqual([
      { type: 'delta', text: 'one' },
      { type: 'delta', text: ' two' },
    ])
    expect(error).toMatchObject({
      code: 'TIMEOUT',
      phase: 'idle',
      progress: { deltas: 2, characters: 7 },
    })
    expect(requests).toBe(1)
  })

  test('timeouts count as failures for the breaker', async () => {
    server.use(http.post(url, () => sse(['stall'])))
    const provider = resilient({
      retry: { maxAttempts: 0 },
      breaker: { consecutiveFailures: 2 },
      timeouts: { firstTokenMs: 50 },
    })
    await run(provider)
    await run(provider)
    expect(provider.breakerState()).toBe('open')
  })
})

test('wraps the dev provider transparently, keeping its abort semantics', async () => {
  const provider = withResilience(createDevProvider({ tokenDelayMs: 0 }), { logger: silent })
  expect(provider).toMatchObject({ name: 'dev', kind: 'dev' })
  const events: ProviderEvent[] = []
  for await (const event of provider.stream({ ...request, model: 'dev-mini', maxTokens: 5 }))
    events.push(event)
  expect(events).toHaveLength(6)
  expect(events.at(-1)).toMatchObject({
    type: 'done',
    finishReason: 'length',
    usage: { outputTokens: 5 },
  })

  const controller = new AbortController()
  const aborted: ProviderEvent[] = []
  for await (const event of provider.stream({
    ...request,
    model: 'dev-mini',
    signal: controller.signal,
  })) {
    aborted.push(event)
    if (aborted.length === 2) controller.abort()
  }
  expect(aborted.at(-1)).toMatchObject({
    type: 'done',
    finishReason: 'abort',
    usage: { outputTokens: 2 },
  })
})

test('a consumer that stops reading aborts the upstream request', async () => {
  let aborted = false
  server.use(
    http.post(url, ({ request }) => {
      request.signal.addEventListener('abort', () => {
        aborted = true
      })
      return sse([delta('a'), delta('b'), 'stall'])
    }),
  )
  for await (const event of resilient().stream(request)) {
    expect(event.type).toBe('delta')
    break
  }
  await new Promise((resolve) => setTimeout(resolve, 20))
  expect(aborted).toBe(true)
})
