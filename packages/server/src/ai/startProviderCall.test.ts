import { expect, test } from 'vitest'
import type { ProviderEvent } from '../providers/types.js'
import { startProviderCall } from './startProviderCall.js'

const done: ProviderEvent = {
  type: 'done',
  usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 2 },
  finishReason: 'stop',
}

function recordingProvider(steps: string[]) {
  return async function* (signal: AbortSignal): AsyncGenerator<ProviderEvent> {
    steps.push('started')
    signal.addEventListener('abort', () => steps.push(`aborted: ${String(signal.reason)}`))
    yield { type: 'delta', text: 'a' }
    steps.push('second read')
    yield { type: 'delta', text: 'b' }
    yield done
  }
}

async function collect(events: AsyncIterable<ProviderEvent>) {
  const out: ProviderEvent[] = []
  for await (const event of events) out.push(event)
  return out
}

test('the call starts before anyone reads; its events then come whole and in order', async () => {
  const steps: string[] = []
  const call = startProviderCall({ open: recordingProvider(steps) })
  expect(steps).toEqual(['started'])
  expect(await collect(call.events)).toEqual([
    { type: 'delta', text: 'a' },
    { type: 'delta', text: 'b' },
    done,
  ])
  expect(steps).toEqual(['started', 'second read'])
})

test('abort stops a call nobody reads: the signal fires and the stream is closed', async () => {
  const steps: string[] = []
  let closed = false
  const call = startProviderCall({
    open: (signal) =>
      (async function* () {
        try {
          yield* recordingProvider(steps)(signal)
        } finally {
          closed = true
        }
      })(),
  })
  call.abort('refused')
  await new Promise((resolve) => setTimeout(resolve, 0))
  expect(steps).toEqual(['started', 'aborted: refused'])
  expect(closed).toBe(true)
})

test('a first read that fails after an abort is not an unhandled rejection', async () => {
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  try {
    const call = startProviderCall({
      open: (signal) =>
        (async function* (): AsyncGenerator<ProviderEvent> {
          await new Promise((resolve) => signal.addEventListener('abort', resolve))
          throw new Error('aborted upstream')
        })(),
    })
    call.abort('refused')
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(unhandled).toEqual([])
  } finally {
    process.off('unhandledRejection', onUnhandled)
  }
})
