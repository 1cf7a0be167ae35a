import { describe, expect, test } from 'vitest'
import { siweMessageMaxLength } from './constants.js'
import { createSiweMessage } from './createSiweMessage.js'
import { InvalidSiweMessageError } from './errors.js'
import { parseSiweMessage } from './parseSiweMessage.js'
import type { SiweMessage } from './types.js'

const minimal: SiweMessage = {
  domain: 'example.com',
  address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
  uri: 'https://example.com',
  version: '1',
  chainId: 1,
  nonce: '32891757',
  issuedAt: '2021-09-30T16:25:24Z',
}

const full: SiweMessage = {
  ...minimal,
  scheme: 'https',
  statement: 'Sign in to Example.',
  uri: 'https://example.com/login',
  chainId: 8453,
  expirationTime: '2021-09-30T16:35:24Z',
  notBefore: '2021-09-30T16:25:24Z',
  requestId: 'req-1',
  resources: ['ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu', 'https://example.com/terms'],
}

function detailsOf(fields: unknown): string | undefined {
  try {
    createSiweMessage(fields as SiweMessage)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSiweMessageError)
    expect(error).toMatchObject({
      code: 'SIWE_INVALID_MESSAGE',
      shortMessage: 'These fields cannot make a valid EIP-4361 sign-in message.',
    })
    return (error as InvalidSiweMessageError).details
  }
  throw new Error('expected createSiweMessage to throw')
}

test('canonical text with every field', () => {
  expect(createSiweMessage(full)).toMatchInlineSnapshot(`
    "https://example.com wants you to sign in with your Ethereum account:
    0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2

    Sign in to Example.

    URI: https://example.com/login
    Version: 1
    Chain ID: 8453
    Nonce: 32891757
    Issued At: 2021-09-30T16:25:24Z
    Expiration Time: 2021-09-30T16:35:24Z
    Not Before: 2021-09-30T16:25:24Z
    Request ID: req-1
    Resources:
    - ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu
    - https://example.com/terms"
  `)
})

test('canonical text without optional fields', () => {
  expect(createSiweMessage(minimal)).toBe(
    'example.com wants you to sign in with your Ethereum account:\n0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n\n\nURI: https://example.com\nVersion: 1\nChain ID: 1\nNonce: 32891757\nIssued At: 2021-09-30T16:25:24Z',
  )
})

describe('parseSiweMessage(createSiweMessage(fields)) deep-equals fields', () => {
  test.each([
    ['minimal', minimal],
    ['full', full],
    [
      'empty statement, request id and resources',
      { ...minimal, statement: '', requestId: '', resources: [] },
    ],
    ['IPv6 domain with port', { ...minimal, domain: '[::1]:8080', uri: 'http://[::1]:8080/' }],
    ['userinfo domain', { ...minimal, domain: 'me@localhost:3000' }],
    ['every statement character', { ...minimal, statement: ":/?#[]@!$&'()*+,;= aZ09-._~" }],
    ['percent-encoded request id', { ...minimal, requestId: 'a%20b:c@d' }],
    ['offset and long fraction', { ...minimal, issuedAt: '2021-09-30T16:25:24.123456789-07:00' }],
  ] as [string, SiweMessage][])('%s', (_, fields) => {
    expect(parseSiweMessage(createSiweMessage(fields))).toStrictEqual(fields)
  })
})

test('optional fields set to undefined count as absent', () => {
  expect(createSiweMessage({ ...minimal, statement: undefined } as unknown as SiweMessage)).toBe(
    createSiweMessage(minimal),
  )
})

describe('rejects', () => {
  test.each([
    [
      'a domain with a scheme',
      { domain: 'https://example.com' },
      /^domain: .*put the scheme in `scheme`$/,
    ],
    [
      'a domain with a path',
      { domain: 'example.com/app' },
      /^domain: must be an RFC 3986 authority/,
    ],
    ['a domain with a space', { domain: 'example .com' }, /^domain: /],
    ['a domain without host', { domain: 'me@:80' }, /^domain: names no host/],
    ['an empty domain', { domain: '' }, /^domain: must not be empty/],
    ['a line break in the domain', { domain: 'evil.com wants you\n' }, /^domain: /],
    [
      'a lowercase address',
      { address: minimal.address.toLowerCase() },
      /^address: .*its checksummed form is 0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2$/,
    ],
    ['a multi-line statement', { statement: 'one\ntwo' }, /^statement: must be a single line/],
    ['a statement with a quote', { statement: 'say "hi"' }, /^statement: contains "\\""/],
    ['a relative URI', { uri: '/login' }, /^uri: must be an RFC 3986 URI/],
    ['an empty URI', { uri: '' }, /^uri: /],
    ['version 2', { version: '2' }, /^version: must be "1", got "2"$/],
    ['a string chain id', { chainId: '1' }, /^chainId: /],
    ['a fractional chain id', { chainId: 1.5 }, /^chainId: /],
    ['chain id 0', { chainId: 0 }, /^chainId: /],
    ['an unsafe chain id', { chainId: 2 ** 53 }, /^chainId: /],
    ['a short nonce', { nonce: 'abc' }, /^nonce: /],
    ['a Date as issuedAt', { issuedAt: new Date() }, /^issuedAt: .*got \(object\)$/],
    ['an ISO date without time', { issuedAt: '2021-09-30' }, /^issuedAt: /],
    [
      'an impossible expirationTime',
      { expirationTime: '2021-04-31T00:00:00Z' },
      /^expirationTime: /,
    ],
    ['an empty notBefore', { notBefore: '' }, /^notBefore: /],
    ['a request id with a space', { requestId: 'a b' }, /^requestId: /],
    ['resources that are not an array', { resources: 'https://example.com' }, /^resources: /],
    [
      'a resource with a line break',
      { resources: ['https://a.example', 'https://b.example\n- x:'] },
      /^resources\[1\]: /,
    ],
    ['an empty scheme', { scheme: '' }, /^scheme: /],
    ['a null optional field', { statement: null }, /^statement: must be a string, got null$/],
    [
      'an unknown field',
      { expiration: '2021-09-30T16:25:24Z' },
      /^expiration: is not an EIP-4361 field/,
    ],
  ] as const)('%s', (_, change, details) => {
    expect(detailsOf({ ...minimal, ...change })).toMatch(details)
  })

  test('every problem at once', () => {
    expect(detailsOf({ domain: 'example.com', nonce: 'short', extra: 1 })).toBe(
      'extra: is not an EIP-4361 field; the fields are scheme, domain, address, statement, uri, version, chainId, nonce, issuedAt, expirationTime, notBefore, requestId, resources; address: is required; uri: is required; version: is required; chainId: is required; nonce: must be at least 8 letters or digits (A-Z, a-z, 0-9), got "short"; issuedAt: is required',
    )
  })

  test('at most ten problems at once', () => {
    const details = detailsOf({
      ...minimal,
      resources: Array.from({ length: 25 }, (_, i) => `${i}`),
    })
    expect(details?.split('; resources[')).toHaveLength(10)
    expect(details).toMatch(/^resources\[0\]: .*; resources\[9\]: .*; and 15 more$/)
  })

  test.each([null, undefined, 'message', [minimal]])('%j instead of fields', (value) => {
    expect(detailsOf(value)).toMatch(/^fields: must be an object of EIP-4361 fields/)
  })

  test('a message longer than the maximum', () => {
    const statement = 'x'.repeat(siweMessageMaxLength)
    expect(detailsOf({ ...minimal, statement })).toBe(
      `The message would be ${createSiweMessageLength(statement)} characters long; at most ${siweMessageMaxLength} are accepted. Shorten the statement or the resources.`,
    )
  })
})

function createSiweMessageLength(statement: string): number {
  return createSiweMessage(minimal).length + statement.length + 1
}
