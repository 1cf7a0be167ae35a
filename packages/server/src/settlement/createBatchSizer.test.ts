import { expect, test } from 'vitest'
import { createBatchSizer } from './createBatchSizer.js'

function split(total: number, sizer = createBatchSizer({ minPasses: 10, maxPasses: 50 })) {
  const sizes: number[] = []
  for (let remaining = total; remaining > 0; ) {
    const next = sizer.next(remaining)
    sizes.push(next)
    remaining -= next
  }
  return sizes
}

test('starts at the maximum; 500 passes are 10 transactions', () => {
  expect(split(500)).toEqual(Array(10).fill(50))
})

test('fewer than the minimum only when fewer are due; remainders are balanced', () => {
  expect(split(3)).toEqual([3])
  expect(split(50)).toEqual([50])
  expect(split(55)).toEqual([45, 10])
  expect(split(104)).toEqual([50, 44, 10])
  for (const total of [11, 59, 60, 61, 99, 101, 149, 333])
    for (const size of split(total)) {
      expect(size).toBeGreaterThanOrEqual(10)
      expect(size).toBeLessThanOrEqual(50)
    }
})

test('halves after a failure (not below the minimum) and grows by 5 after successes', () => {
  const sizer = createBatchSizer({ minPasses: 10, maxPasses: 50 })
  sizer.failed()
  expect(sizer.size()).toBe(25)
  sizer.failed()
  sizer.failed()
  expect(sizer.size()).toBe(10)
  sizer.succeeded()
  sizer.succeeded()
  expect(sizer.size()).toBe(20)
  for (let i = 0; i < 20; i++) sizer.succeeded()
  expect(sizer.size()).toBe(50)
})

test('a gas estimate that is too high caps every later batch', () => {
  const sizer = createBatchSizer({ minPasses: 10, maxPasses: 50 })
  expect(sizer.tooMuchGas(50)).toBe(25)
  for (let i = 0; i < 5; i++) sizer.succeeded()
  expect(sizer.size()).toBe(25)
  // Gas beats the minimum: a batch that does not fit is split whatever the minimum says.
  expect(sizer.tooMuchGas(12)).toBe(6)
  expect(split(20, sizer)).toEqual([6, 6, 6, 2])
})
