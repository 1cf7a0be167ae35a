import { expect, test } from 'vitest'
import { BaseError } from './base.js'
import { InvalidAmountError } from './money.js'

test('InvalidAmountError', () => {
  const cause = new Error('inner')
  const error = new InvalidAmountError({
    value: '1.2345678',
    label: 'price',
    expected: 'at most 6 decimals',
    cause,
  })
  expect(error).toBeInstanceOf(BaseError)
  expect(error).toMatchObject({
    name: 'InvalidAmountError',
    code: 'INVALID_INPUT',
    status: 400,
    shortMessage: 'Invalid price "1.2345678": expected at most 6 decimals.',
    docsPath: '/errors#invalid-amount',
    cause,
  })
  expect(error.message).toContain('Docs: https://accesspoint.dev/docs/errors#invalid-amount')
  expect(error.toJSON()).toStrictEqual({
    code: 'INVALID_INPUT',
    message: 'Invalid price "1.2345678": expected at most 6 decimals.',
    docsPath: '/errors#invalid-amount',
  })
})

test.each([
  ['1.5', '"1.5"'],
  ['a"b\n', '"a\\"b\\n"'],
  [-1n, '-1n'],
  [1.5, '1.5'],
  [Number.NaN, 'NaN'],
  [null, 'null'],
  [undefined, 'undefined'],
  [{ toString: () => 'secret' }, '(object)'],
])('shows %s as %s', (value, shown) => {
  expect(new InvalidAmountError({ value, expected: 'x' }).shortMessage).toBe(
    `Invalid amount ${shown}: expected x.`,
  )
})
