import { expect, test } from 'vitest'
import { UnsupportedRuntimeError } from '../errors/client.js'
import { type EventSourceConstructor, resolveEventSource } from './resolveEventSource.js'

const Native = class {} as unknown as EventSourceConstructor
const Passed = class {} as unknown as EventSourceConstructor
const Ponyfill = class {} as unknown as EventSourceConstructor
const load = async () => ({ EventSource: Ponyfill })
const missing = async () => {
  throw new Error("Cannot find package 'eventsource'")
}

test('one passed in wins, and is trusted to send headers through fetch', async () => {
  expect(await resolveEventSource(Passed, { native: Native, load })).toEqual({
    EventSource: Passed,
    sendsHeaders: true,
  })
})

test('browsers and Node: the ponyfill, loaded on demand, even where a native one exists', async () => {
  expect(await resolveEventSource(undefined, { native: Native, load })).toEqual({
    EventSource: Ponyfill,
    sendsHeaders: true,
  })
  const real = await resolveEventSource(undefined)
  expect(real.sendsHeaders).toBe(true)
  expect(real.EventSource.name).toBe('EventSource')
})

test('without the package: the native one (no headers), or a clear error', async () => {
  expect(await resolveEventSource(undefined, { native: Native, load: missing })).toEqual({
    EventSource: Native,
    sendsHeaders: false,
  })
  await expect(
    resolveEventSource(undefined, { native: undefined, load: missing }),
  ).rejects.toBeInstanceOf(UnsupportedRuntimeError)
})
