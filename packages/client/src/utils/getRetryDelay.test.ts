import { describe, expect, test } from 'vitest'
import { getRetryDelay } from './getRetryDelay.js'

const max = () => 0.999_999
const min = () => 0

describe('backoff', () => {
  test('doubles per retry, jittered below the step', () => {
    const steps = [0, 1, 2, 3].map((retry) =>
      getRetryDelay({ retry, attempts: 10, baseDelayMs: 100, random: max }),
    )
    expect(steps).toEqual([99, 199, 399, 799])
    expect(getRetryDelay({ retry: 3, attempts: 10, baseDelayMs: 100, random: min })).toBe(0)
  })

  test('is capped at maxDelayMs', () => {
    expect(
      getRetryDelay({ retry: 20, attempts: 30, baseDelayMs: 100, maxDelayMs: 1000, random: max }),
    ).toBe(999)
  })

  test('stops after `attempts` tries in all', () => {
    expect(getRetryDelay({ retry: 0, attempts: 1 })).toBeUndefined()
    expect(getRetryDelay({ retry: 1, attempts: 3 })).toBeDefined()
    expect(getRetryDelay({ retry: 2, attempts: 3 })).toBeUndefined()
  })
})

describe('Retry-After', () => {
  test('is a floor, plus a little jitter', () => {
    expect(getRetryDelay({ retry: 0, retryAfterMs: 2000, baseDelayMs: 100, random: min })).toBe(
      2000,
    )
    expect(getRetryDelay({ retry: 0, retryAfterMs: 2000, baseDelayMs: 100, random: max })).toBe(
      2099,
    )
  })

  test('longer than maxDelayMs: give up now rather than hang', () => {
    expect(getRetryDelay({ retry: 0, retryAfterMs: 60_000, maxDelayMs: 30_000 })).toBeUndefined()
  })
})
