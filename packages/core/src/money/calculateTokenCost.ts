import type { InvalidAmountErrorType } from '../errors/money.js'
import type { MicroUsd } from './constants.js'
import { divideRoundingUp, tokensPerPriceUnit, toPrice, toTokenCount } from './internal.js'

export type CalculateTokenCostParameters = {
  /** A non-negative safe integer or a non-negative bigint. */
  tokens: number | bigint
  /** Price in micro-USD per million tokens, e.g. `150_000n` for $0.15 per million. */
  microUsdPerMillionTokens: MicroUsd
}

export type CalculateTokenCostReturnType = MicroUsd

export type CalculateTokenCostErrorType = InvalidAmountErrorType

/**
 * The cost of `tokens` at a per-million-token price, in micro-USD.
 *
 * Rounding: the exact cost `tokens × price / 1_000_000` is rounded UP to the next whole
 * micro-USD. This is the only rounding rule for charges: the seller never under-charges by a
 * fraction, and a request with tokens and a non-zero price is never free.
 *
 * @example
 * calculateTokenCost({ tokens: 1, microUsdPerMillionTokens: 150_000n }) // 1n (exact: 0.15)
 * calculateTokenCost({ tokens: 2_000_000, microUsdPerMillionTokens: 150_000n }) // 300_000n
 *
 * @throws {InvalidAmountError} When `tokens` or the price is negative or not an exact integer.
 */
export function calculateTokenCost({
  tokens,
  microUsdPerMillionTokens,
}: CalculateTokenCostParameters): CalculateTokenCostReturnType {
  const count = toTokenCount(tokens, 'tokens')
  const price = toPrice(microUsdPerMillionTokens, 'microUsdPerMillionTokens')
  return divideRoundingUp(count * price, tokensPerPriceUnit)
}
