import { expect, test } from 'vitest'
import { BaseError } from './base.js'
import { errorCodes } from './codes.js'
import { InvalidInputError, NotFoundError } from './request.js'

test('InvalidInputError lists issues', () => {
  const issues = [
    { path: 'usage.inputTokens', message: 'must be a non-negative integer' },
    { path: 'model', message: 'is required' },
  ]
  const error = new InvalidInputError('Invalid usage.', { issues, metaMessages: ['Request: r1'] })
  expect(error).toBeInstanceOf(BaseError)
  expect(error).toMatchObject({ name: 'InvalidInputError', code: 'INVALID_INPUT', status: 400 })
  expect(error.issues).toBe(issues)
  expect(error.metaMessages).toEqual([
    'Issues:',
    '- usage.inputTokens: must be a non-negative integer',
    '- model: is required',
    'Request: r1',
  ])
  expect(error.message).toContain(
    'Invalid usage.\n\nIssues:\n- usage.inputTokens: must be a non-negative integer\n',
  )
  expect(error.toJSON()).toStrictEqual({ code: 'INVALID_INPUT', message: 'Invalid usage.' })
})

test('InvalidInputError defaults', () => {
  const error = new InvalidInputError()
  expect(error.shortMessage).toBe(errorCodes.INVALID_INPUT.message)
  expect(error.issues).toEqual([])
  expect(error.message).not.toContain('Issues:')
})

test('NotFoundError', () => {
  const error = new NotFoundError('API key k1 does not exist.', { details: 'k1' })
  expect(error).toMatchObject({ name: 'NotFoundError', code: 'NOT_FOUND', status: 404 })
  expect(error.toJSON()).toStrictEqual({
    code: 'NOT_FOUND',
    message: 'API key k1 does not exist.',
    details: 'k1',
  })
  expect(new NotFoundError().shortMessage).toBe(errorCodes.NOT_FOUND.message)
})
