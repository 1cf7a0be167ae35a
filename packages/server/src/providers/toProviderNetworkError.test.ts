import { expect, test } from 'vitest'
import { ProviderTimeoutError } from './errors.js'
import { toProviderNetworkError } from './toProviderNetworkError.js'

const failed = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause })

test('undici timeouts become ProviderTimeoutError with the phase', () => {
  expect(
    toProviderNetworkError({
      provider: 'openai',
      error: failed(
        Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
      ),
    }),
  ).toMatchObject({ code: 'TIMEOUT', phase: 'headers' })
  expect(
    toProviderNetworkError({
      provider: 'openai',
      error: Object.assign(new TypeError('terminated'), {
        cause: Object.assign(new Error('Body Timeout Error'), { code: 'UND_ERR_BODY_TIMEOUT' }),
      }),
    }),
  ).toMatchObject({ code: 'TIMEOUT', phase: 'body' })
})

test('other failures are retryable unavailability, logged without host or URL', () => {
  const error = toProviderNetworkError({
    provider: 'local',
    error: failed(
      Object.assign(
        new Error('connect ECONNREFUSED 10.1.2.3:8000 https://user:pw@llm.internal/v1'),
        {
          code: 'ECONNREFUSED',
        },
      ),
    ),
  })
  expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'network', retryable: true })
  expect(error.message).toContain('ECONNREFUSED')
  expect(error.message).not.toContain('10.1.2.3')
  expect(error.message).not.toContain('user:pw')
})

test('our own errors pass through', () => {
  const timeout = new ProviderTimeoutError(undefined, { provider: 'x', phase: 'idle' })
  expect(toProviderNetworkError({ provider: 'x', error: timeout })).toBe(timeout)
})
