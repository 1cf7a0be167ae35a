import { expect, test, vi } from 'vitest'
import { createEventQueue } from './createEventQueue.js'

test('values pushed before and during iteration arrive in order, then the end', async () => {
  const queue = createEventQueue<number>(() => {})
  queue.push(1)
  setTimeout(() => {
    queue.push(2)
    queue.push(3)
    queue.end()
  }, 5)
  const seen: number[] = []
  for await (const value of queue) seen.push(value)
  expect(seen).toEqual([1, 2, 3])
})

test('a failure is thrown after the values already pushed', async () => {
  const queue = createEventQueue<number>(() => {})
  queue.push(1)
  queue.fail(new Error('boom'))
  queue.push(2)
  const seen: number[] = []
  await expect(async () => {
    for await (const value of queue) seen.push(value)
  }).rejects.toThrow('boom')
  expect(seen).toEqual([1])
})

test('breaking out calls onReturn once', async () => {
  const onReturn = vi.fn()
  const queue = createEventQueue<number>(onReturn)
  queue.push(1)
  queue.push(2)
  for await (const _ of queue) break
  expect(onReturn).toHaveBeenCalledOnce()
  await queue.return?.()
  expect(onReturn).toHaveBeenCalledOnce()
})
