import { HttpRequestError, TimeoutError } from 'viem'
import { expect, test } from 'vitest'
import { describeRpcError } from './describeRpcError.js'

const url = 'https://base-mainnet.g.alchemy.com/v2/SECRET-KEY?x=1'

test('keeps names, short messages and status, never the URL', () => {
  const error = new HttpRequestError({
    url,
    status: 401,
    body: { method: 'eth_call' },
    details: `Unauthorized at ${url}`,
  })
  const text = describeRpcError(new Error('read failed', { cause: error }))
  expect(text).toBe('Error: read failed ← HttpRequestError: HTTP request failed. (HTTP 401)')
  expect(describeRpcError(new TimeoutError({ body: {}, url }))).toBe(
    'TimeoutError: The request took too long to respond.',
  )
  expect(describeRpcError(new Error(`fetch ${url} failed`))).toBe('Error: fetch https://… failed')
  expect(describeRpcError('boom')).toBe('boom')
  expect(
    describeRpcError(
      new TypeError('fetch failed', {
        cause: new Error('connect ECONNREFUSED 10.0.0.5:8545'),
      }),
    ),
  ).toBe('TypeError: fetch failed ← Error: connect ECONNREFUSED')
})

test('survives cause cycles', () => {
  const a = new Error('a')
  const b = new Error('b', { cause: a })
  Object.assign(a, { cause: b })
  expect(describeRpcError(a)).toBe('Error: a ← Error: b')
})
