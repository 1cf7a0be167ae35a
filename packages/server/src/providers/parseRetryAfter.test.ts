import { expect, test } from 'vitest'
import { parseRetryAfter } from './parseRetryAfter.js'

const now = Date.parse('2025-01-01T00:00:00Z')

test.each([
  [{}, undefined],
  [{ 'retry-after': '7' }, 7],
  [{ 'retry-after': '0' }, 0],
  [{ 'retry-after': '1.2' }, 2],
  [{ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, 30],
  [{ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }, 0],
  [{ 'retry-after': 'soon' }, undefined],
  [{ 'retry-after': '86400' }, undefined],
  [{ 'retry-after-ms': '1500', 'retry-after': '9' }, 2],
  [{ 'retry-after-ms': 'x', 'retry-after': '9' }, 9],
])('%j → %s', (headers, seconds) => {
  expect(parseRetryAfter({ headers: new Headers(headers), now })).toBe(seconds)
})
