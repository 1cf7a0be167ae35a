import { BaseError, errorCodes } from '@accesspoint/core'
import { expect, test } from 'vitest'
import {
  ModelNotFoundError,
  ProviderAbortedError,
  ProviderError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from './errors.js'

test('each error has its stable code, status and retryable flag', () => {
  const cases = [
    [new ProviderError(undefined, { provider: 'openai' }), 'PROVIDER_ERROR', 502, false],
    [
      new ProviderUnavailableError(undefined, { provider: 'openai' }),
      'PROVIDER_UNAVAILABLE',
      503,
      true,
    ],
    [
      new ProviderTimeoutError(undefined, { provider: 'openai', phase: 'idle' }),
      'TIMEOUT',
      504,
      true,
    ],
    [new ModelNotFoundError(undefined, { model: 'x' }), 'MODEL_NOT_FOUND', 404, false],
    [
      new ProviderAbortedError(undefined, {
        provider: 'openai',
        progress: { deltas: 1, characters: 2 },
      }),
      'INTERNAL',
      500,
      false,
    ],
  ] as const
  for (const [error, code, status, retryable] of cases) {
    expect(error).toBeInstanceOf(BaseError)
    expect(error).toMatchObject({ code, status, retryable })
  }
})

test('upstream detail stays in logs; clients get our own words', () => {
  const error = new ProviderUnavailableError(undefined, {
    provider: 'anthropic',
    retryAfterSeconds: 12,
    upstreamStatus: 529,
    metaMessages: ['Upstream message: Overloaded (request req_abc, host 10.0.0.7)'],
    cause: new Error('connect ECONNREFUSED 10.0.0.7:443'),
  })
  expect(error.message).toContain('req_abc')
  expect(error.toJSON()).toStrictEqual({
    code: 'PROVIDER_UNAVAILABLE',
    message: errorCodes.PROVIDER_UNAVAILABLE.message,
    details: "Provider 'anthropic' is unavailable. Retry after 12 s.",
    docsPath: '/errors#provider-unavailable',
  })
  expect(
    new ProviderTimeoutError(undefined, {
      provider: 'openai',
      phase: 'first-token',
      timeoutMs: 30_000,
    }).toJSON().details,
  ).toBe("Provider 'openai' sent no first token within 30000 ms.")
})

test('ModelNotFoundError lists what is available and cuts long ids', () => {
  expect(
    new ModelNotFoundError(undefined, { model: 'gpt-9', available: ['a', 'b'] }).toJSON().details,
  ).toBe("Model 'gpt-9' is not available. Available models: a, b.")
  expect(
    new ModelNotFoundError(undefined, { model: 'gpt-9', provider: 'openai' }).toJSON().details,
  ).toBe("Provider 'openai' does not serve model 'gpt-9'.")
  const long = new ModelNotFoundError(undefined, { model: 'x'.repeat(5_000) })
  expect(long.toJSON().details?.length).toBeLessThan(150)
})
