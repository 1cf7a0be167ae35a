import { expect, test } from 'vitest'
import type { ProviderEvent } from '../providers/types.js'
import { createGeneration, type GenerationEvent } from './createGeneration.js'

const usage = { inputTokens: 3, cachedInputTokens: 0, outputTokens: 2 }

async function* provider(words: string[], { failAt }: { failAt?: number } = {}) {
  for (const [index, text] of words.entries()) {
    await new Promise((resolve) => setTimeout(resolve, 5))
    if (index === failAt) throw new Error('upstream broke')
    yield { type: 'delta', text } satisfies ProviderEvent
  }
  yield { type: 'done', usage, finishReason: 'stop' } satisfies ProviderEvent
}

function generationOf(events: AsyncIterable<ProviderEvent>, calls: string[] = []) {
  return createGeneration({
    requestId: 'r1',
    events,
    async finish(done) {
      calls.push('finish')
      return {
        type: 'done',
        requestId: 'r1',
        model: 'm',
        finishReason: done.finishReason,
        usage: done.usage,
        costMicroUsd: 7n,
      }
    },
    async fail(error) {
      calls.push('fail')
      return error
    },
  })
}

async function collect(iterable: AsyncIterable<{ seq: number; event: GenerationEvent }>) {
  const out: { seq: number; event: GenerationEvent }[] = []
  for await (const item of iterable) out.push(item)
  return out
}

test('readers get every event in order, and a late reader replays from any sequence number', async () => {
  const generation = generationOf(provider(['a', 'b', 'c']))
  const [early, late] = await Promise.all([
    collect(generation.read(0)),
    generation.finished.then(() => collect(generation.read(2))),
  ])
  expect(early.map(({ seq }) => seq)).toEqual([0, 1, 2, 3])
  expect(early.at(-1)?.event).toMatchObject({ type: 'done', costMicroUsd: 7n })
  expect(late.map(({ seq }) => seq)).toEqual([2, 3])
  expect(generation.text()).toBe('abc')
})

test('a reader that leaves does not stop the generation: it runs to its end and finishes once', async () => {
  const calls: string[] = []
  const generation = generationOf(provider(['a', 'b', 'c', 'd']), calls)
  const leave = new AbortController()
  for await (const { seq } of generation.read(0, leave.signal)) if (seq === 0) leave.abort()
  await generation.finished
  expect(calls).toEqual(['finish'])
  expect(generation.text()).toBe('abcd')
})

test('a provider failure ends every reader with the error the fail hook returns', async () => {
  const calls: string[] = []
  const generation = generationOf(provider(['a', 'b'], { failAt: 1 }), calls)
  const events = await collect(generation.read(0))
  expect(events.map(({ event }) => event.type)).toEqual(['delta', 'error'])
  expect(events[1]?.event).toMatchObject({ error: new Error('upstream broke') })
  expect(calls).toEqual(['fail'])
})

test('outcome: nothing while it runs, then the final event (done, or the error after a failure)', async () => {
  const done = generationOf(provider(['a', 'b']))
  expect(done.outcome()).toBeUndefined()
  await done.finished
  expect(done.outcome()).toMatchObject({ type: 'done', costMicroUsd: 7n, finishReason: 'stop' })

  const failed = generationOf(provider(['a', 'b'], { failAt: 1 }))
  await failed.finished
  expect(failed.outcome()).toMatchObject({ type: 'error', error: { message: 'upstream broke' } })
})
