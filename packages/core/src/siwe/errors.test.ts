import { expect, test } from 'vitest'
import { BaseError } from '../errors/base.js'
import { errorCodes } from '../errors/codes.js'
import {
  InvalidSiweMessageError,
  SiweChainUnsupportedError,
  SiweDomainMismatchError,
  SiweExpiredError,
  SiweNonceInvalidError,
  SiweNotYetValidError,
} from './errors.js'

test.each([
  ['SIWE_INVALID_MESSAGE', InvalidSiweMessageError, 400, '/errors#siwe-invalid-message'],
  ['SIWE_DOMAIN_MISMATCH', SiweDomainMismatchError, 401, '/errors#siwe-domain-mismatch'],
  ['SIWE_CHAIN_UNSUPPORTED', SiweChainUnsupportedError, 400, '/errors#siwe-chain-unsupported'],
  ['SIWE_NONCE_INVALID', SiweNonceInvalidError, 401, '/errors#siwe-nonce-invalid'],
  ['SIWE_EXPIRED', SiweExpiredError, 401, '/errors#siwe-expired'],
  ['SIWE_NOT_YET_VALID', SiweNotYetValidError, 401, '/errors#siwe-not-yet-valid'],
] as const)('%s', (code, ErrorClass, status, docsPath) => {
  const error = new ErrorClass()
  expect(error).toBeInstanceOf(BaseError)
  expect(error).toMatchObject({
    name: ErrorClass.name,
    code,
    status,
    docsPath,
    shortMessage: errorCodes[code].message,
  })
  expect(error.toJSON()).toStrictEqual({ code, message: errorCodes[code].message, docsPath })

  const detailed = new ErrorClass('Custom.', {
    details: 'line 2: bad',
    cause: new Error('internal'),
  })
  expect(detailed.shortMessage).toBe('Custom.')
  expect(detailed.message).toContain('Details: line 2: bad')
  // Only explicit details reach clients, never the cause.
  expect(JSON.parse(JSON.stringify(detailed))).toStrictEqual({
    code,
    message: 'Custom.',
    details: 'line 2: bad',
    docsPath,
  })
})
