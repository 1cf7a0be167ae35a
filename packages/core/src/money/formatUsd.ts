import type { InvalidAmountErrorType } from '../errors/money.js'
import { InvalidAmountError } from '../errors/money.js'
import { InvalidInputError, type InvalidInputErrorType } from '../errors/request.js'
import type { MicroUsd } from './constants.js'

export type FormatUsdParameters = {
  amount: MicroUsd
  options?:
    | {
        /**
         * Decimals always shown (0 to 6); further digits appear only when not zero.
         * @default 2
         */
        minDecimals?: number | undefined
        /**
         * Prefix `$` (after the minus sign: `-$0.25`).
         * @default true
         */
        symbol?: boolean | undefined
        /**
         * Separate thousands with `,`. With `symbol: false` and `grouping: false` the result is a
         * plain decimal that `parseUsd` reads back exactly, fit for JSON or CSV.
         * @default true
         */
        grouping?: boolean | undefined
      }
    | undefined
}

export type FormatUsdReturnType = string

export type FormatUsdErrorType = InvalidAmountErrorType | InvalidInputErrorType

/**
 * Formats micro-USD as US dollars, exactly: every non-zero micro-USD digit is shown, so the
 * result never rounds.
 *
 * @example
 * formatUsd(1_234_500_000n) // '$1,234.50'
 * formatUsd(125n) // '$0.000125'
 * formatUsd(-250_000n) // '-$0.25'
 * formatUsd(1_500_000n, { symbol: false, grouping: false, minDecimals: 0 }) // '1.5'
 */
export function formatUsd(
  amount: FormatUsdParameters['amount'],
  { minDecimals = 2, symbol = true, grouping = true }: FormatUsdParameters['options'] = {},
): FormatUsdReturnType {
  if (typeof amount !== 'bigint')
    throw new InvalidAmountError({ value: amount, expected: 'a bigint of micro-USD' })
  if (!Number.isInteger(minDecimals) || minDecimals < 0 || minDecimals > 6)
    throw new InvalidInputError('Invalid formatUsd options.', {
      issues: [
        { path: 'minDecimals', message: `expected an integer from 0 to 6, got ${minDecimals}` },
      ],
    })

  const digits = (amount < 0n ? -amount : amount).toString().padStart(7, '0')
  const whole = digits.slice(0, -6)
  let fraction = digits.slice(-6)
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1)

  return [
    amount < 0n ? '-' : '',
    symbol ? '$' : '',
    grouping ? whole.replace(/\B(?=(\d{3})+$)/g, ',') : whole,
    fraction ? `.${fraction}` : '',
  ].join('')
}
