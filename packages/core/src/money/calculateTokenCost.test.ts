import { describe, expect, test } from 'vitest'
import { InvalidAmountError } from '../errors/money.js'
import { calculateTokenCost } from './calculateTokenCost.js'

test.each([
  // [tokens, micro-USD per million tokens, expected micro-USD]
  [0, 150_000n, 0n],
  [0, 0n, 0n],
  [1_000_000, 0n, 0n],
  [1, 150_000n, 1n], // exact 0.15, rounded up: never free
  [1, 1n, 1n], // exact 0.000001
  [6, 150_000n, 1n], // exact 0.9
  [7, 150_000n, 2n], // exact 1.05
  [20, 50_000n, 1n], // exact 1.0: no rounding
  [1_000_000, 150_000n, 150_000n],
  [2_000_000, 150_000n, 300_000n],
  [1_000_001, 150_000n, 150_001n], // exact 150_000.15
  [1_000, 2_500_000n, 2_500n],
  [1_000, 60_000_000n, 60_000n],
  [Number.MAX_SAFE_INTEGER, 1_000_000n, BigInt(Number.MAX_SAFE_INTEGER)],
])('%s tokens at %s per million cost %s', (tokens, microUsdPerMillionTokens, expected) => {
  expect(calculateTokenCost({ tokens, microUsdPerMillionTokens })).toBe(expected)
  expect(calculateTokenCost({ tokens: BigInt(tokens), microUsdPerMillionTokens })).toBe(expected)
})

test('bigint counts beyond 2^53 stay exact', () => {
  const tokens = 2n ** 64n + 1n
  expect(calculateTokenCost({ tokens, microUsdPerMillionTokens: 1_000_000n })).toBe(tokens)
  // 2^64 + 1 tokens at 3 micro-USD per million: exactly 55340232221128.654851, rounded up.
  expect(calculateTokenCost({ tokens, microUsdPerMillionTokens: 3n })).toBe(55_340_232_221_129n)
  expect(calculateTokenCost({ tokens: 10n ** 30n, microUsdPerMillionTokens: 10n ** 30n })).toBe(
    10n ** 54n,
  )
})

test('rounds up by less than one micro-USD', () => {
  for (let tokens = 0n; tokens < 3_000n; tokens += 7n) {
    for (const price of [1n, 3n, 150_000n, 2_500_000n, 999_999n]) {
      const cost = calculateTokenCost({ tokens, microUsdPerMillionTokens: price })
      const exact = tokens * price // in millionths of a micro-USD
      expect(cost * 1_000_000n >= exact).toBe(true)
      expect(cost * 1_000_000n - exact < 1_000_000n).toBe(true)
      if (tokens > 0n) expect(cost > 0n).toBe(true)
    }
  }
})

describe('rejects', () => {
  test.each([
    -1,
    -1n,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.MAX_SAFE_INTEGER + 1,
    '1',
    null,
  ])('tokens %s', (tokens) => {
    expect(() =>
      calculateTokenCost({ tokens: tokens as number, microUsdPerMillionTokens: 1n }),
    ).toThrow(InvalidAmountError)
  })

  test.each([-1n, 1, 0.5, '1', null])('price %s', (price) => {
    expect(() =>
      calculateTokenCost({ tokens: 1, microUsdPerMillionTokens: price as bigint }),
    ).toThrow(InvalidAmountError)
  })

  test('with code INVALID_INPUT, naming the field', () => {
    expect(() => calculateTokenCost({ tokens: -5, microUsdPerMillionTokens: 1n })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        shortMessage:
          'Invalid tokens -5: expected a non-negative safe integer or a non-negative bigint.',
      }),
    )
  })
})
