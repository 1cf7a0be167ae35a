import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createAnthropicProvider } from './createAnthropicProvider.js'
import type { ProviderEvent, ProviderRequest } from './types.js'

const apiKey = 'sk-ant-api03-secretsecretsecretsecret'
const url = 'https://api.anthropic.com/v1/messages'
const encoder = new TextEncoder()
const server = setupServer()

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

function sseBody(parts: readonly string[], delayMs = 2) {
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const part of parts) {
        await new Promise((resolve) => setTimeout(resolve, delayMs))
        controller.enqueue(encoder.encode(part))
      }
      controller.close()
    },
  })
}

const sse = (parts: readonly string[], delayMs?: number) =>
  new HttpResponse(sseBody(parts, delayMs), {
    headers: { 'content-type': 'text/event-stream; charset=utf-8' },
  })

const event = (type: string, data: object) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`

const messageStart = (usage: object) =>
  event('message_start', {
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-3-5-haiku-latest',
      content: [],
      stop_reason: null,
      usage: { output_tokens: 1, ...usage },
    },
  })
const textDelta = (text: string) =>
  event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })

const request: ProviderRequest = {
  model: 'claude-3-5-haiku-latest',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'system', content: 'Answer in English.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    { role: 'user', content: 'How are you?' },
  ],
  maxTokens: 100,
}

async function run(overrides: Partial<ProviderRequest> = {}) {
  const events: ProviderEvent[] = []
  let error: (Error & Record<string, unknown>) | undefined
  try {
    for await (const item of createAnthropicProvider({ apiKey }).stream({
      ...request,
      ...overrides,
    }))
      events.push(item)
  } catch (caught) {
    error = caught as Error & Record<string, unknown>
  }
  return { events, error }
}

describe('createAnthropicProvider', () => {
  test('the full event sequence; system messages move to `system`', async () => {
    let body: Record<string, unknown> = {}
    let headers = new Headers()
    server.use(
      http.post(url, async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>
        headers = request.headers
        return sse([
          messageStart({
            input_tokens: 20,
            cache_read_input_tokens: 100,
            cache_creation_input_tokens: 5,
          }),
          event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
          event('ping', {}),
          textDelta('I am'),
          textDelta(' fine, thanks.'),
          event('content_block_stop', { index: 0 }),
          event('message_delta', {
            delta: { stop_reason: 'end_turn', stop_sequence: null },
            usage: { output_tokens: 6 },
          }),
          event('message_stop', {}),
        ])
      }),
    )
    const { events, error } = await run({ temperature: 0 })
    expect(error).toBeUndefined()
    expect(events).toStrictEqual([
      { type: 'delta', text: 'I am' },
      { type: 'delta', text: ' fine, thanks.' },
      {
        type: 'done',
        finishReason: 'stop',
        // Our convention: inputTokens includes the cached (read and written) tokens.
        usage: { inputTokens: 125, cachedInputTokens: 100, outputTokens: 6 },
      },
    ])
    expect(body).toStrictEqual({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 100,
      stream: true,
      system: 'Be brief.\n\nAnswer in English.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'How are you?' },
      ],
      temperature: 0,
    })
    expect(headers.get('x-api-key')).toBe(apiKey)
    expect(headers.get('anthropic-version')).toBe('2023-06-01')
  })

  test('max_tokens maps to length; zero usage stays zero', async () => {
    server.use(
      http.post(url, () =>
        sse([
          messageStart({ input_tokens: 0 }),
          event('message_delta', {
            delta: { stop_reason: 'max_tokens' },
            usage: { output_tokens: 0 },
          }),
          event('message_stop', {}),
        ]),
      ),
    )
    const { events } = await run()
    expect(events).toStrictEqual([
      {
        type: 'done',
        finishReason: 'length',
        usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
      },
    ])
  })

  test('an error event: overloaded is retryable, others are not', async () => {
    server.use(
      http.post(url, () =>
        sse([
          messageStart({ input_tokens: 3 }),
          textDelta('Par'),
          event('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
        ]),
      ),
    )
    const overloaded = await run()
    expect(overloaded.events).toStrictEqual([{ type: 'delta', text: 'Par' }])
    expect(overloaded.error).toMatchObject({
      name: 'ProviderUnavailableError',
      code: 'PROVIDER_UNAVAILABLE',
      retryable: true,
    })
    expect(overloaded.error?.message).toContain('overloaded_error')

    server.use(
      http.post(url, () =>
        sse([event('error', { error: { type: 'invalid_request_error', message: 'bad' } })]),
      ),
    )
    expect((await run()).error).toMatchObject({ code: 'PROVIDER_ERROR', retryable: false })
  })

  test('HTTP errors: 529 overloaded is retryable, 401 hides the key', async () => {
    server.use(
      http.post(url, () =>
        HttpResponse.json(
          { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
          { status: 529, headers: { 'retry-after': '5' } },
        ),
      ),
    )
    expect((await run()).error).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      upstreamStatus: 529,
      retryAfterSeconds: 5,
    })

    server.use(
      http.post(url, () =>
        HttpResponse.json(
          {
            type: 'error',
            error: { type: 'authentication_error', message: `invalid x-api-key ${apiKey}` },
          },
          { status: 401 },
        ),
      ),
    )
    const { error } = await run()
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', upstreamStatus: 401 })
    expect(`${error?.message} ${JSON.stringify(error)}`).not.toContain(apiKey)
  })

  test('a stream without message_stop is retryable; one without usage is an error', async () => {
    server.use(http.post(url, () => sse([messageStart({ input_tokens: 3 }), textDelta('cut')])))
    expect((await run()).error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true })

    server.use(
      http.post(url, () => sse([messageStart({ input_tokens: 3 }), event('message_stop', {})])),
    )
    expect((await run()).error).toMatchObject({ code: 'PROVIDER_ERROR', retryable: false })
  })

  test('an abort before the final usage carries the input tokens and progress', async () => {
    server.use(
      http.post(url, () =>
        sse(
          [
            messageStart({ input_tokens: 9, cache_read_input_tokens: 1 }),
            textDelta('one'),
            textDelta('two'),
            event('message_delta', {
              delta: { stop_reason: 'end_turn' },
              usage: { output_tokens: 2 },
            }),
            event('message_stop', {}),
          ],
          30,
        ),
      ),
    )
    const controller = new AbortController()
    const events: ProviderEvent[] = []
    const error = await (async () => {
      for await (const item of createAnthropicProvider({ apiKey }).stream({
        ...request,
        signal: controller.signal,
      })) {
        events.push(item)
        controller.abort()
      }
    })().catch((caught: unknown) => caught)
    expect(events).toStrictEqual([{ type: 'delta', text: 'one' }])
    expect(error).toMatchObject({
      name: 'ProviderAbortedError',
      progress: { deltas: 1, characters: 3 },
      inputTokens: 10,
    })
  })
})
