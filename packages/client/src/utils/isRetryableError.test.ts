import { expect, test } from 'vitest'
import { NetworkError, SignerRequiredError } from '../errors/client.js'
import { AccessPointError, InsufficientBalanceError, RateLimitedError } from '../errors/server.js'
import { isRetryableError } from './isRetryableError.js'

test('transient failures only', () => {
  expect(isRetryableError(new RateLimitedError())).toBe(true)
  expect(isRetryableError(new NetworkError({ url: 'http://x' }))).toBe(true)
  for (const code of [
    'PROVIDER_UNAVAILABLE',
    'SERVICE_UNAVAILABLE',
    'CHAIN_UNAVAILABLE',
    'TIMEOUT',
  ] as const)
    expect(isRetryableError(new AccessPointError(code))).toBe(true)

  expect(isRetryableError(new InsufficientBalanceError())).toBe(false)
  expect(isRetryableError(new AccessPointError('INTERNAL'))).toBe(false)
  expect(isRetryableError(new AccessPointError('PROVIDER_ERROR'))).toBe(false)
  expect(isRetryableError(new SignerRequiredError())).toBe(false)
  expect(isRetryableError(new Error('fetch failed'))).toBe(false)
})
