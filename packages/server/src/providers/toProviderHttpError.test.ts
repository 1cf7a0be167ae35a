import { expect, test } from 'vitest'
import { toProviderHttpError } from './toProviderHttpError.js'

const base = { provider: 'openai', model: 'gpt-4o', headers: new Headers(), body: '' }

test.each([
  [400, 'ProviderError', false],
  [401, 'ProviderError', false],
  [403, 'ProviderError', false],
  [404, 'ProviderError', false],
  [408, 'ProviderUnavailableError', true],
  [409, 'ProviderUnavailableError', true],
  [422, 'ProviderError', false],
  [429, 'ProviderUnavailableError', true],
  [500, 'ProviderUnavailableError', true],
  [503, 'ProviderUnavailableError', true],
  [529, 'ProviderUnavailableError', true],
])('HTTP %i → %s (retryable: %s)', (status, name, retryable) => {
  expect(toProviderHttpError({ ...base, status })).toMatchObject({
    name,
    retryable,
    upstreamStatus: status,
  })
})

test('a 404 about the model is MODEL_NOT_FOUND; any other 404 is a ProviderError', () => {
  const anthropic = JSON.stringify({
    type: 'error',
    error: { type: 'not_found_error', message: 'model: claude-9' },
  })
  expect(toProviderHttpError({ ...base, status: 404, body: anthropic })).toMatchObject({
    code: 'MODEL_NOT_FOUND',
    model: 'gpt-4o',
    provider: 'openai',
  })
  expect(
    toProviderHttpError({ ...base, status: 404, body: '<html>Not Found</html>' }),
  ).toMatchObject({
    code: 'PROVIDER_ERROR',
  })
})

test('upstream text is kept for logs, redacted, and never sent to clients', () => {
  const error = toProviderHttpError({
    ...base,
    status: 400,
    headers: new Headers({ 'x-request-id': 'req_42' }),
    body: JSON.stringify({
      error: { message: 'Bad key sk-live-abcdefghijkl in request', code: 'x' },
    }),
    secrets: ['abcdefghijkl'],
  })
  expect(error.message).toContain('req_42')
  expect(error.message).toContain('Bad key [redacted] in request')
  expect(error.message).not.toContain('abcdefghijkl')
  expect(error.toJSON()).toStrictEqual({
    code: 'PROVIDER_ERROR',
    message: expect.any(String),
    details: "Provider 'openai' rejected the request (HTTP 400).",
    docsPath: '/errors#provider-error',
  })
})

test('Retry-After reaches the error; compatible servers with odd bodies still map', () => {
  expect(
    toProviderHttpError({
      ...base,
      status: 503,
      headers: new Headers({ 'retry-after': '4' }),
      body: JSON.stringify({ error: 'overloaded' }),
    }),
  ).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAfterSeconds: 4, reason: 'upstream' })
})
