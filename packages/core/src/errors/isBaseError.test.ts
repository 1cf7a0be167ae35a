import { runInNewContext } from 'node:vm'
import { expect, test } from 'vitest'
import { BaseError } from './base.js'
import { isBaseError } from './isBaseError.js'
import { InvalidAmountError } from './money.js'

test('instances and subclasses', () => {
  expect(isBaseError(new BaseError('x'))).toBe(true)
  expect(isBaseError(new InvalidAmountError({ value: 'x', expected: 'y' }))).toBe(true)
})

test('errors from another copy of the package, via the registered brand', () => {
  // What a second copy of the package defines: its own class, the same registered symbol.
  class OtherCopyError extends Error {}
  Object.defineProperty(OtherCopyError.prototype, Symbol.for('@accesspoint/core/BaseError'), {
    value: true,
  })
  const foreign = new OtherCopyError('x')
  expect(foreign instanceof BaseError).toBe(false)
  expect(isBaseError(foreign)).toBe(true)
})

test('errors from another realm', () => {
  const foreign: unknown = runInNewContext(
    `const e = new Error('x'); e[Symbol.for('@accesspoint/core/BaseError')] = true; e`,
  )
  expect(foreign instanceof Error).toBe(false)
  expect(isBaseError(foreign)).toBe(true)
})

test('everything else', () => {
  for (const value of [
    new Error('x'),
    { code: 'INTERNAL', shortMessage: 'x' },
    { [Symbol('@accesspoint/core/BaseError')]: true },
    { [Symbol.for('@accesspoint/core/BaseError')]: 'yes' },
    null,
    undefined,
    'error',
    1,
  ])
    expect(isBaseError(value)).toBe(false)
})

test('the brand is not visible', () => {
  const error = new BaseError('x')
  expect(Object.getOwnPropertySymbols(error)).toEqual([])
  expect(Object.keys(error)).not.toContain('@accesspoint/core/BaseError')
})
