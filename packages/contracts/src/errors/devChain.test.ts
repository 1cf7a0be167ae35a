import { expect, test } from 'vitest'
import { BaseError } from './base.js'
import { AnvilNotFoundError, DevChainPortInUseError, DevChainStartError } from './devChain.js'

test('AnvilNotFoundError lists what was searched', () => {
  const error = new AnvilNotFoundError({
    platform: 'linux',
    arch: 'x64',
    searched: ['/a/anvil', '/b/anvil'],
  })
  expect(error).toBeInstanceOf(BaseError)
  expect(error.name).toBe('AnvilNotFoundError')
  expect(error.shortMessage).toBe('No anvil binary found for linux-x64.')
  expect(error.message).toContain('  /a/anvil\n  /b/anvil\n')
})

test('DevChainPortInUseError names the address', () => {
  const error = new DevChainPortInUseError({ host: '127.0.0.1', port: 8545 })
  expect(error).toBeInstanceOf(BaseError)
  expect(error).toMatchObject({
    name: 'DevChainPortInUseError',
    shortMessage: 'Cannot start the dev chain: 127.0.0.1:8545 is already in use.',
    host: '127.0.0.1',
    port: 8545,
  })
  expect(error.message).toContain('`port: 0` picks a free one')
})

test('DevChainStartError shows the output', () => {
  const cause = new Error('boom')
  const error = new DevChainStartError({ reason: 'anvil exited.', output: 'a\nb', cause })
  expect(error).toMatchObject({
    name: 'DevChainStartError',
    shortMessage: 'Cannot start the dev chain: anvil exited.',
    details: 'boom',
    cause,
  })
  expect(error.message).toContain('Anvil output:\n  a\n  b\n')
  expect(new DevChainStartError({ reason: 'x' }).metaMessages).toEqual([])
})
