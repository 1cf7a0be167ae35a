import { BaseError as ViemBaseError } from 'viem'
import { describe, expect, test } from 'vitest'
import { BaseError } from './base.js'
import { version } from './version.js'

describe('message', () => {
  test('short message only', () => {
    const error = new BaseError('Something failed.')
    expect(error.message).toBe(`Something failed.\n\nVersion: @accesspoint/contracts@${version}`)
    expect(error).toMatchObject({
      name: 'ContractsError',
      shortMessage: 'Something failed.',
      details: undefined,
      docsPath: undefined,
      metaMessages: undefined,
      version: `@accesspoint/contracts@${version}`,
    })
  })

  test('every part', () => {
    const error = new BaseError('Something failed.', {
      details: 'the details',
      docsPath: '/contracts#x',
      metaMessages: ['Port: 8545'],
      name: 'XError',
    })
    expect(error.message).toBe(
      [
        'Something failed.',
        '',
        'Port: 8545',
        '',
        'Docs: https://accesspoint.dev/docs/contracts#x',
        'Details: the details',
        `Version: @accesspoint/contracts@${version}`,
      ].join('\n'),
    )
    expect(error.name).toBe('XError')
  })
})

describe('details from cause', () => {
  test('Error cause gives its message', () => {
    const cause = new Error('connect ECONNREFUSED')
    const error = new BaseError('Failed.', { cause })
    expect(error.cause).toBe(cause)
    expect(error.details).toBe('connect ECONNREFUSED')
  })

  test('viem error gives its details, else its short message', () => {
    expect(new BaseError('Failed.', { cause: new ViemBaseError('Short.') }).details).toBe('Short.')
    const withDetails = new ViemBaseError('Short.', { details: 'execution reverted' })
    expect(new BaseError('Failed.', { cause: withDetails }).details).toBe('execution reverted')
  })

  test('non-error causes give none', () => {
    expect(new BaseError('Failed.', { cause: 'text' }).details).toBeUndefined()
    expect(new BaseError('Failed.', { cause: { message: '' } }).details).toBeUndefined()
  })

  test('explicit details win', () => {
    const error = new BaseError('Failed.', { cause: new Error('inner'), details: 'outer' })
    expect(error.details).toBe('outer')
  })
})

describe('walk', () => {
  test('deepest cause, or the first match', () => {
    const root = new Error('root')
    const middle = new BaseError('middle', { cause: root })
    const top = new BaseError('top', { cause: middle })
    expect(top.walk()).toBe(root)
    expect(top.walk((e) => e === middle)).toBe(middle)
    expect(top.walk((e) => e === 'nothing')).toBeNull()
  })

  test('stops on cycles', () => {
    const a = new BaseError('a')
    const b = new BaseError('b', { cause: a })
    Object.defineProperty(a, 'cause', { value: b })
    expect(a.walk()).toBe(b)
  })
})
