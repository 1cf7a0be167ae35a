import { describe, expect, test } from 'vitest'
import { estimateWorstCase } from './estimateWorstCase.js'

// $2.50 / $1.25 / $10.00 per million tokens (gpt-4o).
const price = {
  inputMicroUsdPerMillionTokens: 2_500_000n,
  cachedInputMicroUsdPerMillionTokens: 1_250_000n,
  outputMicroUsdPerMillionTokens: 10_000_000n,
}
const dollar = 1_000_000n
const plenty = 1_000n * dollar

describe('fits as asked', () => {
  test('input × input price + maxTokens × output price', () => {
    // 1 000 × 2.5 + 1 000 × 10 = 2 500 + 10 000 micro-USD
    expect(
      estimateWorstCase({
        price,
        inputTokensUpperBound: 1_000,
        maxTokens: 1_000,
        capMicroUsd: dollar,
        availableMicroUsd: plenty,
      }),
    ).toEqual({ maxTokens: 1_000, holdMicroUsd: 12_500n, clamped: false })
  })

  test('exactly at the limit is not clamped', () => {
    expect(
      estimateWorstCase({
        price,
        inputTokensUpperBound: 1_000,
        maxTokens: 1_000,
        capMicroUsd: dollar,
        availableMicroUsd: 12_500n,
      }),
    ).toEqual({ maxTokens: 1_000, holdMicroUsd: 12_500n, clamped: false })
  })

  test('assumes the dearer input price when cached input costs more', () => {
    expect(
      estimateWorstCase({
        price: { ...price, cachedInputMicroUsdPerMillionTokens: 3_000_000n },
        inputTokensUpperBound: 1_000,
        maxTokens: 100,
        capMicroUsd: dollar,
        availableMicroUsd: plenty,
      }),
    ).toEqual({ maxTokens: 100, holdMicroUsd: 4_000n, clamped: false })
  })
})

describe('clamps maxTokens to the largest value that fits', () => {
  test('under the available balance', () => {
    // 2 500 + 10 t ≤ 5 000 → t = 250
    expect(
      estimateWorstCase({
        price,
        inputTokensUpperBound: 1_000,
        maxTokens: 4_096,
        capMicroUsd: dollar,
        availableMicroUsd: 5_000n,
      }),
    ).toEqual({ maxTokens: 250, holdMicroUsd: 5_000n, clamped: true })
  })

  test('under the cap', () => {
    // 2 500 + 10 t ≤ 3 000 → t = 50
    expect(
      estimateWorstCase({
        price,
        inputTokensUpperBound: 1_000,
        maxTokens: 4_096,
        capMicroUsd: 3_000n,
        availableMicroUsd: plenty,
      }),
    ).toEqual({ maxTokens: 50, holdMicroUsd: 3_000n, clamped: true })
  })

  test('with fractional micro-USD, rounding up as the charge does', () => {
    // $0.15 / $0.60 per million: 1 000 input = 150; 150 + 0.6 t ≤ 1 000 → t ≤ 1 416.67.
    // t = 1 416 costs ⌈999.6⌉ = 1 000; t = 1 417 would cost ⌈1 000.2⌉ = 1 001.
    expect(
      estimateWorstCase({
        price: {
          inputMicroUsdPerMillionTokens: 150_000n,
          cachedInputMicroUsdPerMillionTokens: 75_000n,
          outputMicroUsdPerMillionTokens: 600_000n,
        },
        inputTokensUpperBound: 1_000,
        maxTokens: 16_384,
        capMicroUsd: dollar,
        availableMicroUsd: 1_000n,
      }),
    ).toEqual({ maxTokens: 1_416, holdMicroUsd: 1_000n, clamped: true })
  })

  test('down to minOutputTokens, not below', () => {
    // 2 500 + 160 = 2 660 fits exactly with 16 output tokens.
    expect(
      estimateWorstCase({
        price,
        inputTokensUpperBound: 1_000,
        maxTokens: 4_096,
        capMicroUsd: dollar,
        availableMicroUsd: 2_660n,
      }),
    ).toEqual({ maxTokens: 16, holdMicroUsd: 2_660n, clamped: true })
  })
})

describe('refuses when even minOutputTokens does not fit', () => {
  test('the cap binds: COST_CAP_EXCEEDED with the worst case and the cap', () => {
    // 400 000 input tokens cost $1.00 alone; + 16 output tokens = $1.00016.
    expect(() =>
      estimateWorstCase({
        price,
        inputTokensUpperBound: 400_000,
        maxTokens: 1_000,
        capMicroUsd: dollar,
        availableMicroUsd: plenty,
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'CostCapExceededError',
        code: 'COST_CAP_EXCEEDED',
        status: 422,
        worstCaseMicroUsd: 1_000_160n,
        capMicroUsd: dollar,
        shortMessage:
          'The worst-case cost of this request is $1.00016 (up to 400000 input tokens and 16 output tokens), above the per-request cap of $1.00; shorten the input.',
      }),
    )
  })

  test('the balance binds: INSUFFICIENT_BALANCE with needed and available', () => {
    expect(() =>
      estimateWorstCase({
        price,
        inputTokensUpperBound: 1_000,
        maxTokens: 1_000,
        capMicroUsd: dollar,
        availableMicroUsd: 2_600n,
        passTokenId: 7n,
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'InsufficientBalanceError',
        code: 'INSUFFICIENT_BALANCE',
        status: 402,
        neededMicroUsd: 2_660n,
        availableMicroUsd: 2_600n,
        shortMessage:
          'This request needs $0.00266, available $0.0026; add at least $0.00006 to pass #7, or ask for fewer tokens.',
      }),
    )
  })

  test('over both: the cap, because funds would not help', () => {
    expect(() =>
      estimateWorstCase({
        price,
        inputTokensUpperBound: 400_000,
        maxTokens: 1_000,
        capMicroUsd: dollar,
        availableMicroUsd: 100n,
      }),
    ).toThrow(expect.objectContaining({ code: 'COST_CAP_EXCEEDED' }))
  })

  test('a negative available balance counts as zero', () => {
    expect(() =>
      estimateWorstCase({
        price,
        inputTokensUpperBound: 10,
        maxTokens: 10,
        capMicroUsd: dollar,
        availableMicroUsd: -5_000n,
      }),
    ).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_BALANCE', availableMicroUsd: 0n }))
  })

  test('a request asking for fewer than minOutputTokens is not raised to it', () => {
    // 2 500 + 50 = 2 550: the 5 tokens asked for fit, 16 would not.
    expect(
      estimateWorstCase({
        price,
        inputTokensUpperBound: 1_000,
        maxTokens: 5,
        capMicroUsd: dollar,
        availableMicroUsd: 2_550n,
      }),
    ).toEqual({ maxTokens: 5, holdMicroUsd: 2_550n, clamped: false })
    expect(() =>
      estimateWorstCase({
        price,
        inputTokensUpperBound: 1_000,
        maxTokens: 5,
        capMicroUsd: dollar,
        availableMicroUsd: 2_549n,
      }),
    ).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_BALANCE', neededMicroUsd: 2_550n }))
  })

  test('minOutputTokens is a parameter', () => {
    expect(() =>
      estimateWorstCase({
        price,
        inputTokensUpperBound: 1_000,
        maxTokens: 1_000,
        capMicroUsd: dollar,
        availableMicroUsd: 2_660n,
        minOutputTokens: 17,
      }),
    ).toThrow(expect.objectContaining({ neededMicroUsd: 2_670n }))
  })
})

test('a free output price makes maxTokens irrelevant', () => {
  expect(
    estimateWorstCase({
      price: { ...price, outputMicroUsdPerMillionTokens: 0n },
      inputTokensUpperBound: 1_000,
      maxTokens: 100_000,
      capMicroUsd: dollar,
      availableMicroUsd: 2_500n,
    }),
  ).toEqual({ maxTokens: 100_000, holdMicroUsd: 2_500n, clamped: false })
})

test('rejects malformed input', () => {
  expect(() =>
    estimateWorstCase({
      price,
      inputTokensUpperBound: -1,
      maxTokens: 0,
      capMicroUsd: -1n,
      availableMicroUsd: 0n,
    }),
  ).toThrow(
    expect.objectContaining({
      code: 'INVALID_INPUT',
      issues: [
        { path: 'inputTokensUpperBound', message: 'expected an integer ≥ 0, got -1' },
        { path: 'maxTokens', message: 'expected an integer ≥ 1, got 0' },
        { path: 'capMicroUsd', message: 'expected a non-negative bigint of micro-USD' },
      ],
    }),
  )
})

test('never holds less than the cost of what it allows (exhaustive over small ranges)', () => {
  const odd = {
    inputMicroUsdPerMillionTokens: 333_333n,
    cachedInputMicroUsdPerMillionTokens: 1n,
    outputMicroUsdPerMillionTokens: 777_777n,
  }
  for (let available = 0n; available < 3_000n; available += 37n) {
    try {
      const { maxTokens, holdMicroUsd } = estimateWorstCase({
        price: odd,
        inputTokensUpperBound: 2_000,
        maxTokens: 10_000,
        capMicroUsd: dollar,
        availableMicroUsd: available,
      })
      expect(holdMicroUsd <= available).toBe(true)
      // One more token would not have fitted (or maxTokens was not clamped).
      const exact = 2_000n * 333_333n + BigInt(maxTokens + 1) * 777_777n
      if (maxTokens < 10_000) expect((exact + 999_999n) / 1_000_000n > available).toBe(true)
    } catch (error) {
      expect(error).toMatchObject({ code: 'INSUFFICIENT_BALANCE' })
    }
  }
})
