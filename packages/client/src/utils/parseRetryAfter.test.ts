import { expect, test } from 'vitest'
import { parseRetryAfter } from './parseRetryAfter.js'

test('delay-seconds', () => {
  expect(parseRetryAfter({ value: '3' })).toBe(3000)
  expect(parseRetryAfter({ value: ' 0 ' })).toBe(0)
})

test('HTTP date, relative to now; a past date means now', () => {
  const now = Date.parse('2025-01-01T00:00:00Z')
  expect(parseRetryAfter({ value: 'Wed, 01 Jan 2025 00:00:05 GMT', now })).toBe(5000)
  expect(parseRetryAfter({ value: 'Tue, 31 Dec 2024 23:59:00 GMT', now })).toBe(0)
})

test('missing or unreadable values are ignored', () => {
  expect(parseRetryAfter({ value: null })).toBeUndefined()
  expect(parseRetryAfter({ value: '' })).toBeUndefined()
  expect(parseRetryAfter({ value: '-1' })).toBeUndefined()
  expect(parseRetryAfter({ value: 'soon' })).toBeUndefined()
})
