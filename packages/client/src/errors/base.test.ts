import { expect, test } from 'vitest'
import { BaseError } from './base.js'

test('message: short message, meta lines, docs, details, version', () => {
  const error = new BaseError('Something failed.', {
    code: 'NETWORK_ERROR',
    details: 'connect ECONNREFUSED',
    docsPath: '/client/errors#network-error',
    metaMessages: ['Check the URL.'],
  })
  expect(error.message).toMatchInlineSnapshot(`
    "Something failed.

    Check the URL.

    Docs: https://accesspoint.dev/docs/client/errors#network-error
    Details: connect ECONNREFUSED
    Version: @accesspoint/client@0.1.0"
  `)
  expect(error).toMatchObject({
    name: 'AccessPointClientError',
    code: 'NETWORK_ERROR',
    shortMessage: 'Something failed.',
    details: 'connect ECONNREFUSED',
    version: '@accesspoint/client@0.1.0',
  })
})

test('details come from the cause, unless it says the same as the short message', () => {
  const cause = new Error('socket hang up')
  expect(new BaseError('Failed.', { code: 'NETWORK_ERROR', cause }).details).toBe('socket hang up')
  expect(new BaseError('Failed.', { code: 'INTERNAL', cause: new Error('Failed.') }).details).toBe(
    undefined,
  )
})

test('walk follows the cause chain, also through cycles', () => {
  const root = new Error('root')
  const middle = new BaseError('middle', { code: 'INTERNAL', cause: root })
  const top = new BaseError('top', { code: 'INTERNAL', cause: middle })
  expect(top.walk()).toBe(root)
  expect(top.walk((error) => error === middle)).toBe(middle)
  expect(top.walk(() => false)).toBeNull()

  const a = new BaseError('a', { code: 'INTERNAL' })
  const b = new BaseError('b', { code: 'INTERNAL', cause: a })
  Object.defineProperty(a, 'cause', { value: b })
  expect(b.walk()).toBe(a)
})
