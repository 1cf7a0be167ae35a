import { BaseError } from './base.js'

export type InvalidAmountErrorParameters = {
  /** The rejected value, shown (truncated) in the message. */
  value: unknown
  /** What a valid value looks like, completing "expected …". */
  expected: string
  /** What the value is, e.g. `'tokens'`. Defaults to `'amount'`. */
  label?: string | undefined
  cause?: unknown
}

export type InvalidAmountErrorType = InvalidAmountError & { name: 'InvalidAmountError' }

/** An amount of money, a price or a token count that cannot be used as given. */
export class InvalidAmountError extends BaseError {
  declare readonly code: 'INVALID_INPUT'

  constructor({ value, expected, label = 'amount', cause }: InvalidAmountErrorParameters) {
    super(`Invalid ${label} ${describe(value)}: expected ${expected}.`, {
      code: 'INVALID_INPUT',
      cause,
      docsPath: '/errors#invalid-amount',
      name: 'InvalidAmountError',
    })
  }
}

// Values come from untrusted input; a long one would flood logs and responses.
const maxShownLength = 40

function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > maxShownLength ? `${value.slice(0, maxShownLength)}…` : value
    return JSON.stringify(shown)
  }
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null || value === undefined) return String(value)
  return `(${typeof value})`
}
