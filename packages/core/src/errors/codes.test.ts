import { expect, test } from 'vitest'
import { errorCodes, isErrorCode } from './codes.js'

const entries = Object.entries(errorCodes)

test('statuses', () => {
  expect(
    Object.fromEntries(entries.map(([code, { status }]) => [code, status])),
  ).toMatchInlineSnapshot(`
    {
      "CHAIN_UNAVAILABLE": 503,
      "CONFLICT": 409,
      "COST_CAP_EXCEEDED": 422,
      "FORBIDDEN_ROLE": 403,
      "INSUFFICIENT_BALANCE": 402,
      "INTERNAL": 500,
      "INVALID_API_KEY": 401,
      "INVALID_INPUT": 400,
      "INVALID_SIGNATURE": 401,
      "METHOD_NOT_ALLOWED": 405,
      "MODEL_NOT_FOUND": 404,
      "NOT_FOUND": 404,
      "PAYLOAD_TOO_LARGE": 413,
      "PAYMENT_FAILED": 402,
      "PROVIDER_ERROR": 502,
      "PROVIDER_UNAVAILABLE": 503,
      "RATE_LIMITED": 429,
      "SERVICE_UNAVAILABLE": 503,
      "SESSION_EXPIRED": 401,
      "SIWE_CHAIN_UNSUPPORTED": 400,
      "SIWE_DOMAIN_MISMATCH": 401,
      "SIWE_EXPIRED": 401,
      "SIWE_INVALID_MESSAGE": 400,
      "SIWE_NONCE_INVALID": 401,
      "SIWE_NOT_YET_VALID": 401,
      "TIMEOUT": 504,
      "UNAUTHENTICATED": 401,
    }
  `)
})

test('every code is an error status', () => {
  for (const [code, { status }] of entries) {
    expect(status, code).toBeGreaterThanOrEqual(400)
    expect(status, code).toBeLessThan(600)
  }
})

test('every code is SCREAMING_SNAKE_CASE', () => {
  for (const [code] of entries) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/)
})

test('every message is a sentence that says what to do', () => {
  for (const [code, { message }] of entries) {
    expect(message, code).toMatch(/^[A-Z].*\.$/)
    // At least two sentences: what happened, then what to do about it.
    expect(message.split('. ').length, code).toBeGreaterThanOrEqual(2)
  }
})

test('isErrorCode', () => {
  for (const [code] of entries) expect(isErrorCode(code)).toBe(true)
  expect(isErrorCode('PAYMENT_REQUIRED')).toBe(false)
  expect(isErrorCode('invalid_input')).toBe(false)
  expect(isErrorCode('toString')).toBe(false)
  expect(isErrorCode('__proto__')).toBe(false)
  expect(isErrorCode(400)).toBe(false)
  expect(isErrorCode(undefined)).toBe(false)
})
