import { InvalidAmountError, type InvalidAmountErrorType } from '../errors/money.js'
import type { MicroUsd } from './constants.js'
import { divideRoundingUp, tokensPerPriceUnit, toPrice, toTokenCount } from './internal.js'

export type CalculateRequestCostParameters = {
  usage: {
    /** All input tokens, cached ones included (as OpenAI's `prompt_tokens`). */
    inputTokens: number | bigint
    /** The part of `inputTokens` read from cache. @default 0 */
    cachedInputTokens?: number | bigint | undefined
    outputTokens: number | bigint
  }
  /** Prices in micro-USD per million tokens. */
  price: {
    inputMicroUsdPerMillionTokens: MicroUsd
    cachedInputMicroUsdPerMillionTokens: MicroUsd
    outputMicroUsdPerMillionTokens: MicroUsd
  }
}

export type CalculateRequestCostReturnType = {
  /** Uncached input, rounded up on its own; for display. */
  inputMicroUsd: MicroUsd
  /** Cached input, rounded up on its own; for display. */
  cachedInputMicroUsd: MicroUsd
  /** Output, rounded up on its own; for display. */
  outputMicroUsd: MicroUsd
  /** The amount to charge. May be less than the sum of the displayed parts. */
  totalMicroUsd: MicroUsd
}

export type CalculateRequestCostErrorType = InvalidAmountErrorType

/**
 * The cost of one request from its token usage and per-million-token prices.
 *
 * Uncached input is `inputTokens − cachedInputTokens`. `totalMicroUsd`, the amount charged, is
 * the exact sum of all three parts rounded UP once, so the request pays at most one fractional
 * micro-USD of rounding rather than up to three. Each part is also rounded up on its own for
 * display, which is why their sum can exceed `totalMicroUsd` by up to 2 micro-USD.
 *
 * @example
 * calculateRequestCost({
 *   usage: { inputTokens: 1_000, cachedInputTokens: 200, outputTokens: 500 },
 *   price: {
 *     inputMicroUsdPerMillionTokens: 2_500_000n, // $2.50 per million
 *     cachedInputMicroUsdPerMillionTokens: 1_250_000n,
 *     outputMicroUsdPerMillionTokens: 10_000_000n,
 *   },
 * })
 * // { inputMicroUsd: 2_000n, cachedInputMicroUsd: 250n, outputMicroUsd: 5_000n,
 * //   totalMicroUsd: 7_250n }
 *
 * @throws {InvalidAmountError} When a count or price is negative or not an exact integer, or
 * when `cachedInputTokens` exceeds `inputTokens`.
 */
export function calculateRequestCost({
  usage,
  price,
}: CalculateRequestCostParameters): CalculateRequestCostReturnType {
  const inputTokens = toTokenCount(usage.inputTokens, 'usage.inputTokens')
  const cachedInputTokens = toTokenCount(usage.cachedInputTokens ?? 0, 'usage.cachedInputTokens')
  const outputTokens = toTokenCount(usage.outputTokens, 'usage.outputTokens')
  if (cachedInputTokens > inputTokens)
    throw new InvalidAmountError({
      value: usage.cachedInputTokens,
      label: 'usage.cachedInputTokens',
      expected: `at most usage.inputTokens (${inputTokens}), which includes cached tokens`,
    })

  // Each product is in millionths of a micro-USD, so summing them is exact.
  const input =
    (inputTokens - cachedInputTokens) *
    toPrice(price.inputMicroUsdPerMillionTokens, 'price.inputMicroUsdPerMillionTokens')
  const cachedInput =
    cachedInputTokens *
    toPrice(price.cachedInputMicroUsdPerMillionTokens, 'price.cachedInputMicroUsdPerMillionTokens')
  const output =
    outputTokens *
    toPrice(price.outputMicroUsdPerMillionTokens, 'price.outputMicroUsdPerMillionTokens')

  return {
    inputMicroUsd: divideRoundingUp(input, tokensPerPriceUnit),
    cachedInputMicroUsd: divideRoundingUp(cachedInput, tokensPerPriceUnit),
    outputMicroUsd: divideRoundingUp(output, tokensPerPriceUnit),
    totalMicroUsd: divideRoundingUp(input + cachedInput + output, tokensPerPriceUnit),
  }
}
