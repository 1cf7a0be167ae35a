import { expect, test } from 'vitest'
import { BaseError } from './base.js'
import {
  InvalidResponseError,
  NetworkError,
  SignerRequiredError,
  UnsupportedRuntimeError,
} from './client.js'
import {
  AccessPointError,
  ForbiddenRoleError,
  InsufficientBalanceError,
  InvalidApiKeyError,
  ModelNotFoundError,
  PaymentFailedError,
  ProviderUnavailableError,
  RateLimitedError,
  SessionExpiredError,
  UnauthenticatedError,
} from './server.js'

test('each subclass carries its code, the status that goes with it, and its name', () => {
  const errors = [
    new UnauthenticatedError(),
    new SessionExpiredError(),
    new InvalidApiKeyError(),
    new ForbiddenRoleError(),
    new InsufficientBalanceError(),
    new PaymentFailedError(),
    new ModelNotFoundError(),
    new RateLimitedError(),
    new ProviderUnavailableError(),
  ]
  expect(
    errors.map(({ name, code, status }) => `${name} ${code} ${status}`),
  ).toMatchInlineSnapshot(`
    [
      "UnauthenticatedError UNAUTHENTICATED 401",
      "SessionExpiredError SESSION_EXPIRED 401",
      "InvalidApiKeyError INVALID_API_KEY 401",
      "ForbiddenRoleError FORBIDDEN_ROLE 403",
      "InsufficientBalanceError INSUFFICIENT_BALANCE 402",
      "PaymentFailedError PAYMENT_FAILED 402",
      "ModelNotFoundError MODEL_NOT_FOUND 404",
      "RateLimitedError RATE_LIMITED 429",
      "ProviderUnavailableError PROVIDER_UNAVAILABLE 503",
    ]
  `)
  for (const error of errors) {
    expect(error).toBeInstanceOf(AccessPointError)
    expect(error).toBeInstanceOf(BaseError)
  }
})

test("the server's message, status, Retry-After and request id", () => {
  const error = new RateLimitedError({
    message: 'Too many sign-in attempts from this address.',
    retryAfterMs: 2000,
    requestId: 'req-1',
  })
  expect(error.shortMessage).toBe('Too many sign-in attempts from this address.')
  expect(error.retryAfterMs).toBe(2000)
  expect(error.requestId).toBe('req-1')
  expect(error.docsPath).toBe('/errors#rate-limited')
  expect(error.message).toContain('Retry after: 2000 ms')
  expect(error.message).toContain('Request id: req-1')
  expect(new AccessPointError('TIMEOUT').shortMessage).toMatch(/took too long/)
})

test('client-side errors have client codes', () => {
  expect(new NetworkError({ url: 'http://x' })).toMatchObject({
    name: 'NetworkError',
    code: 'NETWORK_ERROR',
    shortMessage: 'Could not reach the AccessPoint server at http://x.',
  })
  expect(new SignerRequiredError().code).toBe('SIGNER_REQUIRED')
  expect(new UnsupportedRuntimeError('no EventSource').code).toBe('UNSUPPORTED_RUNTIME')
  expect(new InvalidResponseError('odd').code).toBe('INVALID_RESPONSE')
})
