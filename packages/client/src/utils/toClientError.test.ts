import { TRPCClientError } from '@trpc/client'
import { expect, test } from 'vitest'
import { InvalidResponseError, NetworkError, UnsupportedRuntimeError } from '../errors/client.js'
import { AccessPointError, InsufficientBalanceError, RateLimitedError } from '../errors/server.js'
import { toClientError } from './toClientError.js'

const url = 'http://127.0.0.1:1'

function serverError(
  data: Record<string, unknown>,
  response?: { status: number; headers?: Record<string, string> },
) {
  return TRPCClientError.from(
    { error: { code: -32000, message: 'From the server.', data } },
    response
      ? {
          meta: {
            response: new Response(null, {
              status: response.status,
              headers: response.headers ?? {},
            }),
          },
        }
      : {},
  )
}

test('a coded tRPC error becomes the subclass for its code', () => {
  const error = toClientError({
    url,
    error: serverError(
      { accessPointCode: 'INSUFFICIENT_BALANCE', httpStatus: 402, details: 'needs 12 µUSD' },
      { status: 402, headers: { 'x-request-id': 'req-9' } },
    ),
  })
  expect(error).toBeInstanceOf(InsufficientBalanceError)
  expect(error).toMatchObject({
    code: 'INSUFFICIENT_BALANCE',
    status: 402,
    shortMessage: 'From the server.',
    details: 'needs 12 µUSD',
    requestId: 'req-9',
  })
})

test('Retry-After is read from the response', () => {
  const error = toClientError({
    url,
    error: serverError(
      { accessPointCode: 'RATE_LIMITED', httpStatus: 429 },
      { status: 429, headers: { 'retry-after': '3' } },
    ),
  })
  expect(error).toBeInstanceOf(RateLimitedError)
  expect((error as RateLimitedError).retryAfterMs).toBe(3000)
})

test('a stream’s refusal (a 200 without Retry-After) carries the wait in its data', () => {
  const error = toClientError({
    url,
    error: serverError(
      { accessPointCode: 'RATE_LIMITED', httpStatus: 429, retryAfterSeconds: 2 },
      { status: 200 },
    ),
  })
  expect(error).toBeInstanceOf(RateLimitedError)
  expect((error as RateLimitedError).retryAfterMs).toBe(2000)
  // The header wins where both exist; nonsense in the data is ignored.
  const both = toClientError({
    url,
    error: serverError(
      { accessPointCode: 'RATE_LIMITED', httpStatus: 429, retryAfterSeconds: 9 },
      { status: 429, headers: { 'retry-after': '3' } },
    ),
  })
  expect((both as RateLimitedError).retryAfterMs).toBe(3000)
  const junk = toClientError({
    url,
    error: serverError({ accessPointCode: 'RATE_LIMITED', retryAfterSeconds: '5' }),
  })
  expect((junk as RateLimitedError).retryAfterMs).toBeUndefined()
})

test('codes without a subclass stay generic AccessPointErrors', () => {
  const error = toClientError({
    url,
    error: serverError({ accessPointCode: 'CHAIN_UNAVAILABLE', httpStatus: 503 }),
  })
  expect(error).toBeInstanceOf(AccessPointError)
  expect(error).toMatchObject({ code: 'CHAIN_UNAVAILABLE', status: 503 })
})

test('no answer at all is a network error', () => {
  const error = toClientError({ url, error: TRPCClientError.from(new TypeError('fetch failed')) })
  expect(error).toBeInstanceOf(NetworkError)
  expect((error as NetworkError).details).toBe('fetch failed')
})

test('answers without our code: a gateway 502 is the network, others map by status', () => {
  expect(toClientError({ url, error: serverError({}, { status: 502 }) })).toBeInstanceOf(
    NetworkError,
  )
  expect(toClientError({ url, error: serverError({}, { status: 429 }) })).toBeInstanceOf(
    RateLimitedError,
  )
  expect(toClientError({ url, error: serverError({}, { status: 418 }) })).toMatchObject({
    code: 'INTERNAL',
    status: 418,
  })
  expect(toClientError({ url, error: serverError({ accessPointCode: 'NOPE' }) })).toBeInstanceOf(
    InvalidResponseError,
  )
})

test('our errors thrown inside links are unwrapped; foreign errors pass through', () => {
  const ours = new UnsupportedRuntimeError('no EventSource')
  expect(toClientError({ url, error: TRPCClientError.from(ours) })).toBe(ours)
  const abort = new DOMException('aborted', 'AbortError')
  expect(toClientError({ url, error: abort })).toBe(abort)
})
