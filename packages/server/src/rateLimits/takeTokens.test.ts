import { expect, test } from 'vitest'
import { takeTokens } from './takeTokens.js'

const rule = { points: 4, windowSeconds: 60 } // a token every 15 s

// Drives one bucket through time like a store would, keeping what `next` says.
function bucket() {
  let arrival: number | undefined
  return (now: number) => {
    const { outcomes, next } = takeTokens({ arrivals: [arrival], rules: [rule], now })
    if (next) arrival = next[0]
    return outcomes[0]
  }
}

test('a full bucket allows a burst of `points`, then refills one token per interval', () => {
  const take = bucket()
  expect([0, 0, 0, 0].map((now) => take(now)?.remaining)).toEqual([3, 2, 1, 0])
  expect(take(0)).toEqual({ allowed: false, remaining: 0, resetMs: 60_000, retryAfterMs: 15_000 })
  // Not a whole window: one token is back after one interval.
  expect(take(14_999)?.allowed).toBe(false)
  expect(take(15_000)).toMatchObject({ allowed: true, remaining: 0 })
  expect(take(15_001)?.allowed).toBe(false)
  // Idle for a window: full again, and no more than full.
  expect(take(1_000_000)).toMatchObject({ allowed: true, remaining: 3, resetMs: 15_000 })
})

test('a client pacing itself at the rate is never refused', () => {
  const take = bucket()
  for (let now = 0; now < 600_000; now += 15_000) expect(take(now)?.allowed).toBe(true)
})

test('no window edge: at most `points` plus the refill pass in any window', () => {
  const take = bucket()
  let passed = 0
  // A client hammering every 100 ms across what would be two fixed windows.
  for (let now = 30_000; now < 90_000; now += 100) if (take(now)?.allowed) passed++
  expect(passed).toBe(4 + 3)
})

test('all or none: when one bucket is empty, the others keep their token', () => {
  const { outcomes, next } = takeTokens({
    arrivals: [undefined, 60_000],
    rules: [rule, rule],
    now: 0,
  })
  expect(next).toBeUndefined()
  expect(outcomes).toEqual([
    { allowed: true, remaining: 4, resetMs: 0, retryAfterMs: 0 },
    { allowed: false, remaining: 0, resetMs: 60_000, retryAfterMs: 15_000 },
  ])
})
