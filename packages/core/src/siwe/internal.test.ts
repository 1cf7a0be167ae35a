import { expect, test } from 'vitest'
import { toTimestamp } from './internal.js'

test.each([
  ['2021-09-30T16:25:24Z', Date.UTC(2021, 8, 30, 16, 25, 24)],
  ['2021-09-30T16:25:24.000Z', Date.UTC(2021, 8, 30, 16, 25, 24)],
  ['2021-09-30t16:25:24z', Date.UTC(2021, 8, 30, 16, 25, 24)],
  ['2021-09-30T16:25:24.5Z', Date.UTC(2021, 8, 30, 16, 25, 24, 500)],
  // Beyond milliseconds the fraction is cut, not rounded, so the instant is never moved later.
  ['2021-09-30T16:25:24.123999Z', Date.UTC(2021, 8, 30, 16, 25, 24, 123)],
  ['2021-09-30T16:25:24-02:00', Date.UTC(2021, 8, 30, 18, 25, 24)],
  ['2021-09-30T16:25:24+05:30', Date.UTC(2021, 8, 30, 10, 55, 24)],
  ['2021-09-30T16:25:24-00:00', Date.UTC(2021, 8, 30, 16, 25, 24)],
  ['2016-12-31T23:59:60Z', Date.UTC(2017, 0, 1)],
  ['0050-01-01T00:00:00Z', -60589296000000],
])('toTimestamp(%j)', (value, expected) => {
  expect(toTimestamp(value)).toBe(expected)
})

test.each(['', '2021-09-30', '2021-09-30 16:25:24Z', '2021-09-30T16:25:24', 'x'])(
  'toTimestamp(%j) is NaN',
  (value) => {
    expect(toTimestamp(value)).toBeNaN()
  },
)
