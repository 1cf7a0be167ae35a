import { describe, expect, test } from 'vitest'
import { InvalidAmountError } from '../errors/money.js'
import {
  type CalculateRequestCostParameters,
  calculateRequestCost,
} from './calculateRequestCost.js'
import { calculateTokenCost } from './calculateTokenCost.js'

const price = {
  inputMicroUsdPerMillionTokens: 2_500_000n, // $2.50 per million
  cachedInputMicroUsdPerMillionTokens: 1_250_000n,
  outputMicroUsdPerMillionTokens: 10_000_000n,
} satisfies CalculateRequestCostParameters['price']

test('inputTokens includes cached tokens', () => {
  expect(
    calculateRequestCost({
      usage: { inputTokens: 1_000, cachedInputTokens: 200, outputTokens: 500 },
      price,
    }),
  ).toEqual({
    inputMicroUsd: 2_000n, // 800 uncached
    cachedInputMicroUsd: 250n,
    outputMicroUsd: 5_000n,
    totalMicroUsd: 7_250n,
  })
})

test('cachedInputTokens defaults to 0', () => {
  expect(
    calculateRequestCost({ usage: { inputTokens: 1_000n, outputTokens: 500n }, price }),
  ).toEqual({
    inputMicroUsd: 2_500n,
    cachedInputMicroUsd: 0n,
    outputMicroUsd: 5_000n,
    totalMicroUsd: 7_500n,
  })
})

test('all cached', () => {
  expect(
    calculateRequestCost({
      usage: { inputTokens: 1_000, cachedInputTokens: 1_000, outputTokens: 0 },
      price,
    }),
  ).toEqual({
    inputMicroUsd: 0n,
    cachedInputMicroUsd: 1_250n,
    outputMicroUsd: 0n,
    totalMicroUsd: 1_250n,
  })
})

test('zero usage is free', () => {
  expect(
    calculateRequestCost({ usage: { inputTokens: 0, outputTokens: 0 }, price }).totalMicroUsd,
  ).toBe(0n)
})

test('rounds up once, on the total', () => {
  // Each part is exactly 0.15 micro-USD: 0.45 in all, charged as 1, displayed as 1 + 1 + 1.
  const cost = calculateRequestCost({
    usage: { inputTokens: 2, cachedInputTokens: 1, outputTokens: 1 },
    price: {
      inputMicroUsdPerMillionTokens: 150_000n,
      cachedInputMicroUsdPerMillionTokens: 150_000n,
      outputMicroUsdPerMillionTokens: 150_000n,
    },
  })
  expect(cost).toEqual({
    inputMicroUsd: 1n,
    cachedInputMicroUsd: 1n,
    outputMicroUsd: 1n,
    totalMicroUsd: 1n,
  })
})

test('total is the exact sum rounded up, within the displayed parts', () => {
  let state = 12_345
  // Deterministic LCG, so a failure reproduces.
  const random = (limit: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state % limit
  }
  for (let i = 0; i < 1_000; i++) {
    const inputTokens = random(200_000)
    const cachedInputTokens = random(inputTokens + 1)
    const outputTokens = random(50_000)
    const p = {
      inputMicroUsdPerMillionTokens: BigInt(random(20_000_000)),
      cachedInputMicroUsdPerMillionTokens: BigInt(random(10_000_000)),
      outputMicroUsdPerMillionTokens: BigInt(random(80_000_000)),
    }
    const cost = calculateRequestCost({
      usage: { inputTokens, cachedInputTokens, outputTokens },
      price: p,
    })
    const exact =
      BigInt(inputTokens - cachedInputTokens) * p.inputMicroUsdPerMillionTokens +
      BigInt(cachedInputTokens) * p.cachedInputMicroUsdPerMillionTokens +
      BigInt(outputTokens) * p.outputMicroUsdPerMillionTokens
    expect(cost.totalMicroUsd * 1_000_000n >= exact).toBe(true)
    expect(cost.totalMicroUsd * 1_000_000n - exact < 1_000_000n).toBe(true)

    expect(cost.inputMicroUsd).toBe(
      calculateTokenCost({
        tokens: inputTokens - cachedInputTokens,
        microUsdPerMillionTokens: p.inputMicroUsdPerMillionTokens,
      }),
    )
    const parts = cost.inputMicroUsd + cost.cachedInputMicroUsd + cost.outputMicroUsd
    expect(parts >= cost.totalMicroUsd).toBe(true)
    expect(parts - cost.totalMicroUsd <= 2n).toBe(true)
  }
})

test('bigint counts beyond 2^53 stay exact', () => {
  const tokens = 2n ** 60n
  expect(
    calculateRequestCost({
      usage: { inputTokens: tokens, cachedInputTokens: tokens / 2n, outputTokens: tokens },
      price: {
        inputMicroUsdPerMillionTokens: 1_000_000n,
        cachedInputMicroUsdPerMillionTokens: 1_000_000n,
        outputMicroUsdPerMillionTokens: 2_000_000n,
      },
    }).totalMicroUsd,
  ).toBe(3n * tokens)
})

describe('rejects', () => {
  const usage = { inputTokens: 10, cachedInputTokens: 5, outputTokens: 10 }

  test('cachedInputTokens above inputTokens', () => {
    expect(() =>
      calculateRequestCost({ usage: { ...usage, cachedInputTokens: 11 }, price }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        shortMessage:
          'Invalid usage.cachedInputTokens 11: expected at most usage.inputTokens (10), which includes cached tokens.',
      }),
    )
  })

  test.each(['inputTokens', 'cachedInputTokens', 'outputTokens'] as const)(
    'bad usage.%s',
    (field) => {
      for (const value of [-1, 0.5, Number.NaN, -1n])
        expect(() => calculateRequestCost({ usage: { ...usage, [field]: value }, price })).toThrow(
          InvalidAmountError,
        )
    },
  )

  test.each([
    'inputMicroUsdPerMillionTokens',
    'cachedInputMicroUsdPerMillionTokens',
    'outputMicroUsdPerMillionTokens',
  ] as const)('bad price.%s', (field) => {
    for (const value of [-1n, 1, undefined])
      expect(() =>
        calculateRequestCost({ usage, price: { ...price, [field]: value as unknown as bigint } }),
      ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', name: 'InvalidAmountError' }))
  })
})
