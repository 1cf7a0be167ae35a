import { describe, expect, test } from 'vitest'
import { InvalidAmountError } from '../errors/money.js'
import { InvalidInputError } from '../errors/request.js'
import { formatUsd } from './formatUsd.js'
import { parseUsd } from './parseUsd.js'

test.each([
  [0n, '$0.00'],
  [1n, '$0.000001'],
  [125n, '$0.000125'],
  [10_000n, '$0.01'],
  [150_000n, '$0.15'],
  [1_500_000n, '$1.50'],
  [50_000_000n, '$50.00'],
  [-250_000n, '-$0.25'],
  [-1n, '-$0.000001'],
  [999_999_999n, '$999.999999'],
  [1_000_000_000n, '$1,000.00'],
  [1_234_500_000n, '$1,234.50'],
  [123_456_789_000_000n, '$123,456,789.00'],
  [-1_234_567_890_123n, '-$1,234,567.890123'],
  [2n ** 64n, '$18,446,744,073,709.551616'],
])('formatUsd(%s) = %j', (amount, expected) => {
  expect(formatUsd(amount)).toBe(expected)
})

describe('options', () => {
  test('minDecimals', () => {
    expect(formatUsd(1_500_000n, { minDecimals: 0 })).toBe('$1.5')
    expect(formatUsd(50_000_000n, { minDecimals: 0 })).toBe('$50')
    expect(formatUsd(1_500_000n, { minDecimals: 4 })).toBe('$1.5000')
    expect(formatUsd(1_500_000n, { minDecimals: 6 })).toBe('$1.500000')
    expect(formatUsd(125n, { minDecimals: 0 })).toBe('$0.000125')
    expect(formatUsd(0n, { minDecimals: 0 })).toBe('$0')
  })

  test('symbol and grouping', () => {
    expect(formatUsd(-1_234_500_000n, { symbol: false })).toBe('-1,234.50')
    expect(formatUsd(1_234_500_000n, { grouping: false })).toBe('$1234.50')
    expect(formatUsd(1_234_500_000n, { symbol: false, grouping: false, minDecimals: 0 })).toBe(
      '1234.5',
    )
    expect(formatUsd(1_500_000n, { symbol: false, grouping: false, minDecimals: 0 })).toBe('1.5')
  })

  test.each([-1, 7, 1.5, Number.NaN])('rejects minDecimals %s', (minDecimals) => {
    expect(() => formatUsd(1n, { minDecimals })).toThrow(InvalidInputError)
  })
})

test('rejects non-bigint amounts from untyped callers', () => {
  for (const amount of [1.5, '1', null])
    expect(() => formatUsd(amount as unknown as bigint)).toThrow(InvalidAmountError)
})

// Deterministic (seeded), so a failure reproduces.
function* randomAmounts(count: number, seed: bigint): Generator<bigint> {
  let state = seed
  const next = () => {
    // 64-bit xorshift.
    state ^= (state << 13n) & 0xffff_ffff_ffff_ffffn
    state ^= state >> 7n
    state ^= (state << 17n) & 0xffff_ffff_ffff_ffffn
    return state
  }
  for (let i = 0; i < count; i++) {
    // Spread magnitudes from 1 digit to ~38, and alternate signs.
    const digits = next() % 38n
    const amount = ((next() << 64n) | next()) % 10n ** (digits + 1n)
    yield i % 2 === 0 ? amount : -amount
  }
}

test('round-trips through parseUsd', () => {
  const amounts = [...randomAmounts(1000, 0x9e37_79b9_7f4a_7c15n)]
  // Guards the generator itself: the loop must cover varied, large and negative values.
  expect(new Set(amounts).size).toBeGreaterThan(900)
  expect(amounts.some((amount) => amount > 2n ** 64n)).toBe(true)
  expect(amounts.some((amount) => amount < 0n)).toBe(true)
  for (const amount of amounts) {
    for (const minDecimals of [0, 2, 6]) {
      const plain = formatUsd(amount, { symbol: false, grouping: false, minDecimals })
      expect(parseUsd(plain), plain).toBe(amount)
    }
    const pretty = formatUsd(amount).replace('$', '').replaceAll(',', '')
    expect(parseUsd(pretty), pretty).toBe(amount)
  }
})
