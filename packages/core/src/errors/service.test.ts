import { expect, test } from 'vitest'
import { BaseError } from './base.js'
import { errorCodes } from './codes.js'
import { InternalError, ServiceUnavailableError } from './service.js'

test('ServiceUnavailableError', () => {
  const cause = new Error('redis: connection refused')
  const error = new ServiceUnavailableError(undefined, { cause })
  expect(error).toBeInstanceOf(BaseError)
  expect(error).toMatchObject({
    name: 'ServiceUnavailableError',
    code: 'SERVICE_UNAVAILABLE',
    status: 503,
    shortMessage: errorCodes.SERVICE_UNAVAILABLE.message,
    details: 'redis: connection refused',
  })
  expect(error.toJSON()).toStrictEqual({
    code: 'SERVICE_UNAVAILABLE',
    message: errorCodes.SERVICE_UNAVAILABLE.message,
  })
})

test('InternalError keeps its cause out of toJSON', () => {
  const cause = new TypeError("Cannot read properties of undefined (reading 'wallet')")
  const error = new InternalError(undefined, { cause })
  expect(error).toMatchObject({ name: 'InternalError', code: 'INTERNAL', status: 500 })
  expect(error.walk()).toBe(cause)
  expect(error.message).toContain('Details: Cannot read properties')
  expect(JSON.stringify(error)).toBe(
    JSON.stringify({ code: 'INTERNAL', message: errorCodes.INTERNAL.message }),
  )
})
