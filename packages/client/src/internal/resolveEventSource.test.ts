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
  expect(await resolveEventSource(Passed, { native: Native, isNode: false, load })).toEqual({
    EventSource: Passed,
    sendsHeaders: true,
  })
})

test("browsers: their own, which cannot send headers; the ponyfill isn't loaded", async () => {
  expect(
    await resolveEventSource(undefined, { native: Native, isNode: false, load: missing }),
  ).toEqual({ EventSource: Native, sendsHeaders: false })
})

test('Node: the ponyfill, loaded on demand, even if a native one appears', async () => {
  expect(await resolveEventSource(undefined, { native: Native, isNode: true, load })).toEqual({
    EventSource: Ponyfill,
    sendsHeaders: true,
  })
  const real = await resolveEventSource(undefined)
  expect(real.sendsHeaders).toBe(true)
  expect(real.EventSource.name).toBe('EventSource')
})

test('neither: a clear error', async () => {
  await expect(
    resolveEventSource(undefined, { native: undefined, isNode: true, load: missing }),
  ).rejects.toBeInstanceOf(UnsupportedRuntimeError)
  expect(
    await resolveEventSource(undefined, { native: Native, isNode: true, load: missing }),
  ).toEqual({ EventSource: Native, sendsHeaders: false })
})
