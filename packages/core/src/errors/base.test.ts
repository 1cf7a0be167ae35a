import { describe, expect, test } from 'vitest'
import { BaseError, docsBaseUrl } from './base.js'
import { errorCodes } from './codes.js'
import { version } from './version.js'

describe('message', () => {
  test('short message only', () => {
    const error = new BaseError('Something failed.')
    expect(error.message).toBe(`Something failed.\n\nVersion: @accesspoint/core@${version}`)
    expect(error).toMatchObject({
      name: 'AccessPointError',
      code: 'INTERNAL',
      status: 500,
      shortMessage: 'Something failed.',
      details: undefined,
      docsPath: undefined,
      metaMessages: undefined,
      version: `@accesspoint/core@${version}`,
    })
  })

  test('every part', () => {
    const error = new BaseError('Something failed.', {
      code: 'CONFLICT',
      details: 'request id r1 was used with another body',
      docsPath: '/errors#conflict',
      metaMessages: ['Request id: r1', 'First seen: yesterday'],
      name: 'ConflictError',
    })
    expect(error.message).toBe(
      [
        'Something failed.',
        '',
        'Request id: r1',
        'First seen: yesterday',
        '',
        `Docs: ${docsBaseUrl}/errors#conflict`,
        'Details: request id r1 was used with another body',
        `Version: @accesspoint/core@${version}`,
      ].join('\n'),
    )
    expect(error).toMatchObject({ name: 'ConflictError', code: 'CONFLICT', status: 409 })
    expect(docsBaseUrl).toBe('https://accesspoint.dev/docs')
  })

  test('empty short message falls back to the code message', () => {
    const error = new BaseError('', { code: 'RATE_LIMITED' })
    expect(error.shortMessage).toBe(errorCodes.RATE_LIMITED.message)
    expect(error.message.startsWith(`${errorCodes.RATE_LIMITED.message}\n`)).toBe(true)
  })

  test('status follows the code', () => {
    for (const code of Object.keys(errorCodes) as (keyof typeof errorCodes)[])
      expect(new BaseError('x', { code }).status).toBe(errorCodes[code].status)
  })
})

describe('details from cause', () => {
  test('Error cause gives its message', () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.5:5432')
    const error = new BaseError('Database unavailable.', { cause })
    expect(error.cause).toBe(cause)
    expect(error.details).toBe('connect ECONNREFUSED 10.0.0.5:5432')
    expect(error.message).toContain('Details: connect ECONNREFUSED 10.0.0.5:5432\n')
  })

  test('BaseError cause gives its details, else its short message', () => {
    const inner = new BaseError('Inner.', { details: 'inner details' })
    expect(new BaseError('Outer.', { cause: inner }).details).toBe('inner details')
    expect(new BaseError('Outer.', { cause: new BaseError('Inner.') }).details).toBe('Inner.')
  })

  test('explicit details win', () => {
    const error = new BaseError('Outer.', { cause: new Error('inner'), details: 'explicit' })
    expect(error.details).toBe('explicit')
  })

  test('non-Error causes give no details', () => {
    const error = new BaseError('Outer.', { cause: 'a string' })
    expect(error.cause).toBe('a string')
    expect(error.details).toBeUndefined()
    expect(error.message).not.toContain('Details')
  })

  test('no cause property without a cause', () => {
    expect('cause' in new BaseError('x')).toBe(false)
  })
})

describe('toJSON', () => {
  test('only the public shape', () => {
    const error = new BaseError('Database unavailable.', {
      code: 'SERVICE_UNAVAILABLE',
      cause: new Error('password authentication failed for user "admin"'),
      metaMessages: ['Host: 10.0.0.5'],
    })
    expect(error.toJSON()).toStrictEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'Database unavailable.',
    })
    const json = JSON.stringify(error)
    expect(JSON.parse(json)).toStrictEqual(error.toJSON())
    for (const secret of ['password', 'admin', '10.0.0.5', 'stack', 'Version', 'at '])
      expect(json).not.toContain(secret)
  })

  test('explicit details and docsPath', () => {
    const error = new BaseError('Bad.', {
      code: 'INVALID_INPUT',
      cause: new Error('internal'),
      details: 'max_tokens must be positive',
      docsPath: '/errors#invalid-input',
    })
    expect(error.toJSON()).toStrictEqual({
      code: 'INVALID_INPUT',
      message: 'Bad.',
      details: 'max_tokens must be positive',
      docsPath: '/errors#invalid-input',
    })
  })
})

describe('walk', () => {
  class InnerError extends BaseError {}
  const root = new Error('root')
  const inner = new InnerError('Inner.', { cause: root })
  const outer = new BaseError('Outer.', { cause: inner })

  test('without fn: the deepest cause', () => {
    expect(outer.walk()).toBe(root)
    expect(new BaseError('Alone.').walk()).toBeInstanceOf(BaseError)
    expect(new BaseError('x', { cause: 'string cause' }).walk()).toBe('string cause')
  })

  test('with fn: the first match, or null', () => {
    expect(outer.walk((e) => e instanceof InnerError)).toBe(inner)
    expect(outer.walk((e) => e instanceof BaseError)).toBe(outer)
    expect(outer.walk((e) => e === root)).toBe(root)
    expect(outer.walk(() => false)).toBeNull()
  })

  test('narrows with a type predicate', () => {
    const found = outer.walk((e): e is InnerError => e instanceof InnerError)
    expect(found?.shortMessage).toBe('Inner.')
  })

  test('stops on cycles', () => {
    const a = new Error('a')
    const b = new Error('b', { cause: a })
    a.cause = b
    const error = new BaseError('x', { cause: a })
    expect(error.walk()).toBe(b)
    expect(error.walk(() => false)).toBeNull()
  })
})
