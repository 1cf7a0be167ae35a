import { InvalidAmountError, type InvalidAmountErrorType } from '../errors/money.js'
import { type MicroUsd, microUsdPerUsd } from './constants.js'

export type ParseUsdParameters = {
  /** A decimal number of US dollars, e.g. `'1.50'`, `'-0.25'` or `'0.000125'`. */
  value: string
}

export type ParseUsdReturnType = MicroUsd

export type ParseUsdErrorType = InvalidAmountErrorType

// Strict on purpose: no '$', '+', spaces, separators or exponents, and at most 6 decimals, so a
// price is either represented exactly in micro-USD or rejected, never silently rounded.
const usdPattern = /^(-?)(\d+)(?:\.(\d{1,6}))?$/

/**
 * Parses a decimal US dollar string into micro-USD.
 *
 * @example
 * parseUsd('1.5') // 1_500_000n
 * parseUsd('0.000125') // 125n
 *
 * @throws {InvalidAmountError} When `value` is not `-?digits(.1-6 digits)?`.
 */
export function parseUsd(value: ParseUsdParameters['value']): ParseUsdReturnType {
  const match = typeof value === 'string' ? usdPattern.exec(value) : null
  if (!match)
    throw new InvalidAmountError({
      value,
      label: 'USD amount',
      expected: 'a decimal string with at most 6 decimal places, like "1.50" or "-0.000125"',
    })
  const [, sign, whole = '', fraction = ''] = match
  const amount = BigInt(whole) * microUsdPerUsd + BigInt(fraction.padEnd(6, '0'))
  return sign ? -amount : amount
}
