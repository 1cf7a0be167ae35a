import { describe, expect, test } from 'vitest'
import { BaseError } from '../errors/base.js'
import { InvalidAmountError } from '../errors/money.js'
import { parseUsd } from './parseUsd.js'

test.each([
  ['0', 0n],
  ['-0', 0n],
  ['0.000000', 0n],
  ['0.000001', 1n],
  ['0.000125', 125n],
  ['0.15', 150_000n],
  ['1.5', 1_500_000n],
  ['1.50', 1_500_000n],
  ['50', 50_000_000n],
  ['007.5', 7_500_000n],
  ['-0.25', -250_000n],
  ['-0.000001', -1n],
  ['1234.5', 1_234_500_000n],
  ['999999999999999999999.999999', 999_999_999_999_999_999_999_999_999n],
])('parseUsd(%j) = %s', (value, expected) => {
  expect(parseUsd(value)).toBe(expected)
})

describe('rejects', () => {
  test.each([
    '',
    '.',
    '-',
    '1.',
    '.5',
    '-.5',
    '1.2345678',
    '0.0000001',
    '$1',
    '+1',
    ' 1',
    '1 ',
    '1,000',
    '1e6',
    '1.5e2',
    '--1',
    '1.2.3',
    '0x10',
    'NaN',
    'Infinity',
    '١',
    '1_000',
  ])('%j', (value) => {
    expect(() => parseUsd(value)).toThrow(InvalidAmountError)
  })

  test('non-strings from untyped callers', () => {
    for (const value of [1, 1n, null, undefined, {}])
      expect(() => parseUsd(value as unknown as string)).toThrow(InvalidAmountError)
  })

  test('error names the value and the expected form', () => {
    const error = (() => {
      try {
        parseUsd('1.2345678')
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(InvalidAmountError)
    expect(error).toBeInstanceOf(BaseError)
    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      status: 400,
      name: 'InvalidAmountError',
      shortMessage:
        'Invalid USD amount "1.2345678": expected a decimal string with at most 6 decimal places, like "1.50" or "-0.000125".',
    })
  })

  test('long values are truncated in the message', () => {
    expect(() => parseUsd(`${'9'.repeat(1000)}x`)).toThrowError(
      `Invalid USD amount "${'9'.repeat(40)}…": expected`,
    )
  })
})
