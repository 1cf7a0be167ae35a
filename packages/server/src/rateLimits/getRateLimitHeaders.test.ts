import { expect, test } from 'vitest'
import { getRateLimitHeaders } from './getRateLimitHeaders.js'

test('no limits, no headers', () => {
  expect(getRateLimitHeaders([])).toBeUndefined()
})

test('the limit with the fewest requests left wins; on a tie, the one resetting last', () => {
  expect(
    getRateLimitHeaders([
      { limit: 100, remaining: 50, resetSeconds: 10 },
      { limit: 5, remaining: 2, resetSeconds: 30 },
      { limit: 10, remaining: 2, resetSeconds: 40 },
    ]),
  ).toEqual({ 'ratelimit-limit': '10', 'ratelimit-remaining': '2', 'ratelimit-reset': '40' })
})
