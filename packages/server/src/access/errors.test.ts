import { BaseError, errorCodes } from '@accesspoint/core'
import { expect, test } from 'vitest'
import { ChainUnavailableError } from './errors.js'

test('ChainUnavailableError names the chain, keeps the reason server-side', () => {
  const error = new ChainUnavailableError({ chainId: 8453, reason: 'TimeoutError: took too long' })
  expect(error).toBeInstanceOf(BaseError)
  expect(error).toMatchObject({
    name: 'ChainUnavailableError',
    code: 'CHAIN_UNAVAILABLE',
    status: 503,
    chainId: 8453,
    shortMessage: errorCodes.CHAIN_UNAVAILABLE.message,
  })
  expect(error.message).toContain('Reason: TimeoutError: took too long')
  expect(error.toJSON()).toStrictEqual({
    code: 'CHAIN_UNAVAILABLE',
    message: errorCodes.CHAIN_UNAVAILABLE.message,
    details: 'Chain 8453 could not be read.',
    docsPath: '/errors#chain-unavailable',
  })
})
