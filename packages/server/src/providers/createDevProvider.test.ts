import { describe, expect, test } from 'vitest'
import { countDevTokens } from './countDevTokens.js'
import { createDevProvider } from './createDevProvider.js'
import type { ChatMessage, ProviderEvent, ProviderRequest } from './types.js'

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Tell me about the weather.' },
]

async function collect(
  provider: ReturnType<typeof createDevProvider>,
  request: Partial<ProviderRequest> = {},
) {
  const events: ProviderEvent[] = []
  const times: number[] = []
  for await (const event of provider.stream({
    model: 'dev-mini',
    messages,
    maxTokens: 1_000,
    ...request,
  })) {
    events.push(event)
    times.push(performance.now())
  }
  const deltas = events.filter((event) => event.type === 'delta').map((event) => event.text)
  const done = events.at(-1)
  if (done?.type !== 'done') throw new Error('the stream did not end with done')
  expect(events.filter((event) => event.type === 'done')).toHaveLength(1)
  return { events, deltas, text: deltas.join(''), done, times }
}

describe('createDevProvider', () => {
  test('the same messages give the same reply; another prompt another one', async () => {
    const provider = createDevProvider({ tokenDelayMs: 0 })
    const a = await collect(provider)
    const b = await collect(provider)
    expect(b.text).toBe(a.text)
    expect(a.text).toMatch(/^[A-Z][a-z]+[ a-z,]*\./)
    expect(a.text.endsWith('.')).toBe(true)
    const other = await collect(provider, {
      messages: [{ role: 'user', content: 'Something else entirely' }],
    })
    expect(other.text).not.toBe(a.text)
    // The reply depends on the last user message, not on what came before it.
    const withHistory = await collect(provider, {
      messages: [{ role: 'assistant', content: 'Earlier answer' }, ...messages],
    })
    expect(withHistory.text).toBe(a.text)
  })

  test('usage is exact: input from the messages, output = deltas yielded = re-counted text', async () => {
    const provider = createDevProvider({ tokenDelayMs: 0 })
    for (const content of ['a', 'What is 2 + 2?', 'x'.repeat(500), 'naïve café ☕']) {
      const request = { messages: [{ role: 'user', content }] as ChatMessage[] }
      const { deltas, text, done } = await collect(provider, request)
      expect(done.finishReason).toBe('stop')
      expect(done.usage).toStrictEqual({
        inputTokens: countDevTokens(request.messages),
        cachedInputTokens: 0,
        outputTokens: deltas.length,
      })
      expect(countDevTokens(text)).toBe(deltas.length)
      expect(deltas.length).toBeGreaterThanOrEqual(40)
      expect(deltas.length).toBeLessThanOrEqual(140)
    }
  })

  test('maxTokens cuts the reply with finishReason length', async () => {
    const provider = createDevProvider({ tokenDelayMs: 0 })
    const full = await collect(provider)
    const cut = await collect(provider, { maxTokens: 7 })
    expect(cut.deltas).toStrictEqual(full.deltas.slice(0, 7))
    expect(cut.done).toMatchObject({ finishReason: 'length', usage: { outputTokens: 7 } })
    // Exactly the natural length is a natural end.
    const exact = await collect(provider, { maxTokens: full.deltas.length })
    expect(exact.done.finishReason).toBe('stop')
    const oneShort = await collect(provider, { maxTokens: full.deltas.length - 1 })
    expect(oneShort.deltas).toStrictEqual(full.deltas.slice(0, -1))
    expect(oneShort.done.finishReason).toBe('length')
  })

  test('streams at the configured pace', async () => {
    const provider = createDevProvider({ tokenDelayMs: 10, firstTokenDelayMs: 60 })
    const started = performance.now()
    const { times, deltas } = await collect(provider, { maxTokens: 11 })
    expect(deltas).toHaveLength(11)
    const firstToken = (times[0] ?? 0) - started
    const between = (times[10] ?? 0) - (times[0] ?? 0)
    // Loose bounds: timers fire late under load, never early.
    expect(firstToken).toBeGreaterThanOrEqual(55)
    expect(between).toBeGreaterThanOrEqual(80)
    expect(between).toBeLessThan(1_000)
  })

  test('an abort ends the stream with done abort and the tokens so far', async () => {
    const provider = createDevProvider({ tokenDelayMs: 5 })
    const controller = new AbortController()
    const events: ProviderEvent[] = []
    const started = performance.now()
    for await (const event of provider.stream({
      model: 'dev-mini',
      messages,
      maxTokens: 1_000,
      signal: controller.signal,
    })) {
      events.push(event)
      if (events.length === 3) controller.abort()
    }
    expect(performance.now() - started).toBeLessThan(500)
    expect(events.slice(0, 3).every((event) => event.type === 'delta')).toBe(true)
    expect(events[3]).toStrictEqual({
      type: 'done',
      finishReason: 'abort',
      usage: { inputTokens: countDevTokens(messages), cachedInputTokens: 0, outputTokens: 3 },
    })
    expect(events).toHaveLength(4)
  })

  test('an abort during the first-token wait stops at once with zero output', async () => {
    const provider = createDevProvider({ firstTokenDelayMs: 10_000 })
    const started = performance.now()
    const { events } = await collect(provider, { signal: AbortSignal.timeout(20) })
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(events).toStrictEqual([
      {
        type: 'done',
        finishReason: 'abort',
        usage: { inputTokens: countDevTokens(messages), cachedInputTokens: 0, outputTokens: 0 },
      },
    ])
  })

  test('tokenDelayMs 0 streams without timers', async () => {
    const provider = createDevProvider({ tokenDelayMs: 0 })
    const started = performance.now()
    let tokens = 0
    for (let i = 0; i < 1_000; i++) {
      const { done } = await collect(provider, {
        messages: [{ role: 'user', content: `prompt ${i}` }],
      })
      tokens += done.usage.outputTokens
    }
    const elapsed = performance.now() - started
    expect(tokens).toBeGreaterThan(40_000)
    // ~80 000 tokens; with a timer per token this would take minutes.
    expect(elapsed).toBeLessThan(2_000)
  })

  test('invalid options and requests are refused', async () => {
    expect(() => createDevProvider({ tokenDelayMs: -1 })).toThrow(/tokenDelayMs/)
    const provider = createDevProvider({ tokenDelayMs: 0 })
    await expect(collect(provider, { maxTokens: 0 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
  })
})
