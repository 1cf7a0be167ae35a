import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createOpenAIProvider } from './createOpenAIProvider.js'
import type { Provider, ProviderEvent, ProviderRequest } from './types.js'

const apiKey = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz'
const url = 'https://api.openai.com/v1/chat/completions'
const encoder = new TextEncoder()
const server = setupServer()

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

/** An event-stream body sending `parts` one by one, `delayMs` apart, as a real server would. */
function sseBody(parts: readonly (string | Uint8Array)[], delayMs = 2) {
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const part of parts) {
        await new Promise((resolve) => setTimeout(resolve, delayMs))
        controller.enqueue(typeof part === 'string' ? encoder.encode(part) : part)
      }
      controller.close()
    },
  })
}

function sse(parts: readonly (string | Uint8Array)[], init: ResponseInit = {}) {
  return new HttpResponse(sseBody(parts), {
    ...init,
    headers: { 'content-type': 'text/event-stream', ...init.headers },
  })
}

const data = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`

function chunk(content: string | null, finishReason: string | null = null) {
  return data({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    choices: [
      { index: 0, delta: content === null ? {} : { content }, finish_reason: finishReason },
    ],
  })
}

const usageChunk = (usage: object) => data({ id: 'chatcmpl-1', choices: [], usage })

const request: ProviderRequest = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
  ],
  maxTokens: 64,
}

async function collect(provider: Provider, overrides: Partial<ProviderRequest> = {}) {
  const events: ProviderEvent[] = []
  for await (const event of provider.stream({ ...request, ...overrides })) events.push(event)
  return events
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (error: unknown) => error as Error & Record<string, unknown>,
  )
}

describe('createOpenAIProvider', () => {
  test('streams deltas, then done with the reported usage; asks for usage', async () => {
    let body: Record<string, unknown> = {}
    let authorization: string | null = null
    server.use(
      http.post(url, async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>
        authorization = request.headers.get('authorization')
        return sse([
          chunk(''),
          chunk('Hello'),
          chunk(', world'),
          chunk(null, 'stop'),
          usageChunk({
            prompt_tokens: 12,
            completion_tokens: 3,
            total_tokens: 15,
            prompt_tokens_details: { cached_tokens: 8 },
          }),
          'data: [DONE]\n\n',
        ])
      }),
    )
    const provider = createOpenAIProvider({ apiKey })
    expect(await collect(provider, { temperature: 0.2 })).toStrictEqual([
      { type: 'delta', text: 'Hello' },
      { type: 'delta', text: ', world' },
      {
        type: 'done',
        finishReason: 'stop',
        usage: { inputTokens: 12, cachedInputTokens: 8, outputTokens: 3 },
      },
    ])
    expect(authorization).toBe(`Bearer ${apiKey}`)
    expect(body).toStrictEqual({
      model: 'gpt-4o-mini',
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 64,
      temperature: 0.2,
    })
    await provider.close()
  })

  test('usage of zero is passed through as zero, and length is reported', async () => {
    server.use(
      http.post(url, () =>
        sse([
          chunk(null, 'length'),
          usageChunk({ prompt_tokens: 0, completion_tokens: 0 }),
          'data: [DONE]\n\n',
        ]),
      ),
    )
    expect(await collect(createOpenAIProvider({ apiKey }))).toStrictEqual([
      {
        type: 'done',
        finishReason: 'length',
        usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
      },
    ])
  })

  test('a stream without usage is an error, never an estimate', async () => {
    server.use(http.post(url, () => sse([chunk('Hi'), chunk(null, 'stop'), 'data: [DONE]\n\n'])))
    const events: ProviderEvent[] = []
    const error = await failure(
      (async () => {
        for await (const event of createOpenAIProvider({ apiKey }).stream(request))
          events.push(event)
      })(),
    )
    expect(events).toStrictEqual([{ type: 'delta', text: 'Hi' }])
    expect(error).toMatchObject({ name: 'ProviderError', code: 'PROVIDER_ERROR', status: 502 })
    expect(error.message).toMatch(/include_usage/)
  })

  test('a stream cut before [DONE] is a retryable unavailability', async () => {
    server.use(http.post(url, () => sse([chunk('Hi')])))
    const error = await failure(collect(createOpenAIProvider({ apiKey })))
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true })
  })

  test('SSE split mid-line and mid-character, with CRLF and comments', async () => {
    const text = 'Grüße 👋 from the stream'
    const whole = encoder.encode(
      [
        ': OPENROUTER PROCESSING\r\n\r\n',
        chunk(text).replaceAll('\n', '\r\n'),
        usageChunk({ prompt_tokens: 5, completion_tokens: 7 }),
        'data: [DONE]\n\n',
      ].join(''),
    )
    // Cut inside the 4-byte emoji and at a few other awkward places.
    const emoji = whole.indexOf(0xf0)
    const cuts = [3, 20, emoji + 1, emoji + 3, whole.length - 4]
    const parts: Uint8Array[] = []
    let start = 0
    for (const cut of cuts) {
      parts.push(whole.slice(start, cut))
      start = cut
    }
    parts.push(whole.slice(start))
    server.use(
      http.post(
        url,
        () =>
          new HttpResponse(sseBody(parts), { headers: { 'content-type': 'text/event-stream' } }),
      ),
    )
    expect(await collect(createOpenAIProvider({ apiKey }))).toStrictEqual([
      { type: 'delta', text },
      {
        type: 'done',
        finishReason: 'stop',
        usage: { inputTokens: 5, cachedInputTokens: 0, outputTokens: 7 },
      },
    ])
  })

  test('401 is a ProviderError that never carries the key', async () => {
    server.use(
      http.post(url, () =>
        HttpResponse.json(
          {
            error: {
              message: `Incorrect API key provided: ${apiKey}. You can find your API key at https://platform.openai.com/account/api-keys.`,
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          },
          { status: 401, headers: { 'x-request-id': 'req_123' } },
        ),
      ),
    )
    const error = await failure(collect(createOpenAIProvider({ apiKey })))
    expect(error).toMatchObject({
      name: 'ProviderError',
      code: 'PROVIDER_ERROR',
      upstreamStatus: 401,
      retryable: false,
    })
    const everything = `${error.message} ${JSON.stringify(error)} ${String(error.details)} ${String(error.stack)}`
    expect(everything).not.toContain(apiKey)
    expect(everything).not.toContain('sk-test')
    expect(error.message).toContain('invalid_api_key')
    expect(error.message).toContain('req_123')
  })

  test('429 is retryable with Retry-After; insufficient_quota is not', async () => {
    server.use(
      http.post(url, () =>
        HttpResponse.json(
          {
            error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
          },
          { status: 429, headers: { 'retry-after': '3' } },
        ),
      ),
    )
    const limited = await failure(collect(createOpenAIProvider({ apiKey })))
    expect(limited).toMatchObject({
      name: 'ProviderUnavailableError',
      code: 'PROVIDER_UNAVAILABLE',
      status: 503,
      retryAfterSeconds: 3,
      retryable: true,
      reason: 'rate-limited',
    })
    expect(JSON.parse(JSON.stringify(limited))).toMatchObject({
      details: "Provider 'openai' is unavailable. Retry after 3 s.",
    })

    server.use(
      http.post(url, () =>
        HttpResponse.json(
          {
            error: {
              message: 'You exceeded your quota',
              type: 'insufficient_quota',
              code: 'insufficient_quota',
            },
          },
          { status: 429 },
        ),
      ),
    )
    expect(await failure(collect(createOpenAIProvider({ apiKey })))).toMatchObject({
      code: 'PROVIDER_ERROR',
      retryable: false,
    })
  })

  test('5xx is retryable; 400 is not; a 404 for the model is MODEL_NOT_FOUND', async () => {
    server.use(http.post(url, () => new HttpResponse('<html>Bad gateway</html>', { status: 502 })))
    expect(await failure(collect(createOpenAIProvider({ apiKey })))).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      upstreamStatus: 502,
      retryable: true,
    })

    server.use(
      http.post(url, () =>
        HttpResponse.json(
          { error: { message: 'bad temperature', type: 'invalid_request_error' } },
          { status: 400 },
        ),
      ),
    )
    const rejected = await failure(collect(createOpenAIProvider({ apiKey })))
    expect(rejected).toMatchObject({ code: 'PROVIDER_ERROR', retryable: false })
    // The upstream's words stay in logs; clients get our own sentence.
    expect(rejected.message).toContain('bad temperature')
    expect(JSON.stringify(rejected)).not.toContain('bad temperature')

    server.use(
      http.post(url, () =>
        HttpResponse.json(
          {
            error: {
              message: 'The model `gpt-9` does not exist or you do not have access to it.',
              type: 'invalid_request_error',
              code: 'model_not_found',
            },
          },
          { status: 404 },
        ),
      ),
    )
    expect(
      await failure(collect(createOpenAIProvider({ apiKey }), { model: 'gpt-9' })),
    ).toMatchObject({
      name: 'ModelNotFoundError',
      code: 'MODEL_NOT_FOUND',
      status: 404,
      model: 'gpt-9',
      provider: 'openai',
    })
  })

  test('a mid-stream error event fails the stream after the deltas already sent', async () => {
    server.use(
      http.post(url, () =>
        sse([
          chunk('partial'),
          data({ error: { message: 'The server had an error', type: 'server_error' } }),
        ]),
      ),
    )
    const events: ProviderEvent[] = []
    const error = await failure(
      (async () => {
        for await (const event of createOpenAIProvider({ apiKey }).stream(request))
          events.push(event)
      })(),
    )
    expect(events).toStrictEqual([{ type: 'delta', text: 'partial' }])
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'upstream' })
  })

  test('network failures are retryable and name no host', async () => {
    server.use(http.post(url, () => HttpResponse.error()))
    const error = await failure(collect(createOpenAIProvider({ apiKey })))
    expect(error).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      reason: 'network',
      retryable: true,
    })
    expect(error.message).not.toContain('api.openai.com')
  })

  test('an abort before usage throws ProviderAbortedError with what was streamed', async () => {
    server.use(
      http.post(
        url,
        () =>
          new HttpResponse(
            sseBody(
              [
                chunk('one'),
                chunk(' two'),
                chunk(' three'),
                usageChunk({ prompt_tokens: 1, completion_tokens: 3 }),
              ],
              40,
            ),
            { headers: { 'content-type': 'text/event-stream' } },
          ),
      ),
    )
    const controller = new AbortController()
    const events: ProviderEvent[] = []
    const error = await failure(
      (async () => {
        for await (const event of createOpenAIProvider({ apiKey }).stream({
          ...request,
          signal: controller.signal,
        })) {
          events.push(event)
          if (events.length === 2) controller.abort()
        }
      })(),
    )
    expect(events).toHaveLength(2)
    expect(error).toMatchObject({
      name: 'ProviderAbortedError',
      progress: { deltas: 2, characters: 7 },
      retryable: false,
    })
  })

  test('openai-compatible: its base URL, max_tokens, optional key, its own name', async () => {
    let body: Record<string, unknown> = {}
    let authorization: string | null = 'unset'
    server.use(
      http.post('http://llm.internal:8000/v1/chat/completions', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>
        authorization = request.headers.get('authorization')
        return sse([
          chunk('ok', 'stop'),
          usageChunk({ prompt_tokens: 4, completion_tokens: 1 }),
          'data: [DONE]\n\n',
        ])
      }),
    )
    const provider = createOpenAIProvider({
      name: 'local',
      kind: 'openai-compatible',
      baseUrl: 'http://llm.internal:8000/v1/',
    })
    expect(provider).toMatchObject({ name: 'local', kind: 'openai-compatible' })
    const events = await collect(provider, { model: 'llama-3.1-8b' })
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      usage: { inputTokens: 4, outputTokens: 1 },
    })
    expect(authorization).toBeNull()
    expect(body).toMatchObject({
      model: 'llama-3.1-8b',
      max_tokens: 64,
      stream_options: { include_usage: true },
    })
    expect(body).not.toHaveProperty('max_completion_tokens')
  })

  test('a consumer that stops reading returns at once', async () => {
    server.use(
      http.post(url, () => {
        // Sends one event, then nothing, and never ends.
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode(chunk('first')))
          },
        })
        return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
      }),
    )
    const started = performance.now()
    for await (const event of createOpenAIProvider({ apiKey }).stream(request)) {
      expect(event).toStrictEqual({ type: 'delta', text: 'first' })
      break
    }
    // That the connection is closed is checked on a real socket in createProviderHttpAgent.test.ts.
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})
