import { expect, test } from 'vitest'
import { percentile } from './percentile.js'

test('nearest-rank percentiles', () => {
  const values = Array.from({ length: 100 }, (_, index) => 100 - index)
  expect(percentile(values, 50)).toBe(50)
  expect(percentile(values, 95)).toBe(95)
  expect(percentile(values, 99)).toBe(99)
  expect(percentile(values, 100)).toBe(100)
  expect(percentile([7], 99)).toBe(7)
  expect(percentile([], 50)).toBeNaN()
})
