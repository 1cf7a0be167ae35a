import { expect, test } from 'vitest'
import { createMemoryTokenBuckets } from './createMemoryTokenBuckets.js'

test('buckets are per key and refill with the clock', async () => {
  let now = 0
  const buckets = createMemoryTokenBuckets({ now: () => now })
  const rule = { points: 2, windowSeconds: 1 }
  const take = async (key: string) => (await buckets.take([{ key, rule }]))[0]?.allowed
  expect([await take('a'), await take('a'), await take('a'), await take('b')]).toEqual([
    true,
    true,
    false,
    true,
  ])
  now += 500
  expect([await take('a'), await take('a')]).toEqual([true, false])
})

test('bounded: a bucket pushed out by newer keys comes back full', async () => {
  const buckets = createMemoryTokenBuckets({ maxKeys: 2, now: () => 0 })
  const rule = { points: 1, windowSeconds: 60 }
  const take = async (key: string) => (await buckets.take([{ key, rule }]))[0]?.allowed
  expect([await take('a'), await take('a')]).toEqual([true, false])
  await take('b')
  await take('c')
  expect(await take('a')).toBe(true)
})
