import { InvalidAmountError } from '../errors/money.js'

// Prices are quoted per million tokens.
export const tokensPerPriceUnit = 1_000_000n

/** Rounds a non-negative quotient up. */
export function divideRoundingUp(dividend: bigint, divisor: bigint): bigint {
  return (dividend + divisor - 1n) / divisor
}

export function toTokenCount(value: unknown, label: string): bigint {
  if (typeof value === 'bigint' && value >= 0n) return value
  // Beyond 2^53 a `number` is no longer an exact count, so it could bill the wrong amount.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value)
  throw new InvalidAmountError({
    value,
    label,
    expected: 'a non-negative safe integer or a non-negative bigint',
  })
}

export function toPrice(value: unknown, label: string): bigint {
  if (typeof value === 'bigint' && value >= 0n) return value
  throw new InvalidAmountError({
    value,
    label,
    expected: 'a non-negative bigint of micro-USD per million tokens',
  })
}
