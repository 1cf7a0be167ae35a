import { describe, expect, test } from 'vitest'
import { BaseError } from '../errors/base.js'
import { siweMessageMaxLength } from './constants.js'
import { InvalidSiweMessageError } from './errors.js'
import { parseSiweMessage } from './parseSiweMessage.js'

const address = '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2'

const full = [
  'https://example.com wants you to sign in with your Ethereum account:',
  address,
  '',
  'Sign in to Example.',
  '',
  'URI: https://example.com/login',
  'Version: 1',
  'Chain ID: 8453',
  'Nonce: q3RjXw0TzB9mVYk2Lc7hNa',
  'Issued At: 2025-01-02T03:04:05.678Z',
  'Expiration Time: 2025-01-02T03:14:05+01:00',
  'Not Before: 2025-01-02T03:04:05Z',
  'Request ID: req-1',
  'Resources:',
  '- ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu',
  '- https://example.com/terms',
].join('\n')

const minimal = [
  'example.com wants you to sign in with your Ethereum account:',
  address,
  '',
  '',
  'URI: https://example.com',
  'Version: 1',
  'Chain ID: 1',
  'Nonce: 32891757',
  'Issued At: 2021-09-30T16:25:24Z',
].join('\n')

function detailsOf(message: unknown): string | undefined {
  try {
    parseSiweMessage(message as string)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSiweMessageError)
    return (error as InvalidSiweMessageError).details
  }
  throw new Error('expected parseSiweMessage to throw')
}

test('every field', () => {
  expect(parseSiweMessage(full)).toStrictEqual({
    scheme: 'https',
    domain: 'example.com',
    address,
    statement: 'Sign in to Example.',
    uri: 'https://example.com/login',
    version: '1',
    chainId: 8453,
    nonce: 'q3RjXw0TzB9mVYk2Lc7hNa',
    issuedAt: '2025-01-02T03:04:05.678Z',
    expirationTime: '2025-01-02T03:14:05+01:00',
    notBefore: '2025-01-02T03:04:05Z',
    requestId: 'req-1',
    resources: [
      'ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu',
      'https://example.com/terms',
    ],
  })
})

test('absent optional fields are left out, not undefined', () => {
  expect(Object.keys(parseSiweMessage(minimal)).sort()).toStrictEqual([
    'address',
    'chainId',
    'domain',
    'issuedAt',
    'nonce',
    'uri',
    'version',
  ])
})

test('the result is frozen, resources included: it is what the user signed', () => {
  const parsed = parseSiweMessage(full)
  expect(Object.isFrozen(parsed)).toBe(true)
  expect(Object.isFrozen(parsed.resources)).toBe(true)
  expect(() => {
    ;(parsed as { nonce: string }).nonce = 'AnotherNonce1'
  }).toThrow(TypeError)
  expect(() => parsed.resources?.push('https://evil.example')).toThrow(TypeError)
})

test('timestamps are kept exactly as written', () => {
  const message = minimal.replace('2021-09-30T16:25:24Z', '2021-09-30t16:25:24.123456z')
  expect(parseSiweMessage(message).issuedAt).toBe('2021-09-30t16:25:24.123456z')
})

test('an empty statement differs from no statement', () => {
  expect(parseSiweMessage(minimal)).not.toHaveProperty('statement')
  expect(parseSiweMessage(minimal.replace('\n\n\n', '\n\n\n\n')).statement).toBe('')
})

describe('length limit', () => {
  // A valid message padded to `length` characters through its statement.
  const sized = (length: number) => {
    const message = minimal.replace('\n\n\n', '\n\nx\n\n')
    return message.replace('\nx\n', `\n${'x'.repeat(length - message.length + 1)}\n`)
  }

  test('a message of exactly the maximum length is accepted', () => {
    expect(sized(siweMessageMaxLength)).toHaveLength(siweMessageMaxLength)
    expect(parseSiweMessage(sized(siweMessageMaxLength)).statement).toHaveLength(
      siweMessageMaxLength - minimal.length - 1,
    )
  })

  test('a longer one is rejected before parsing', () => {
    expect(detailsOf(sized(siweMessageMaxLength + 1))).toBe(
      `The message is ${siweMessageMaxLength + 1} characters long; at most ${siweMessageMaxLength} are accepted.`,
    )
    // Far beyond what the grammar could handle quickly: the check must come first.
    const started = performance.now()
    expect(detailsOf('x'.repeat(1_000_000))).toMatch(/^The message is 1000000 characters/)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('address', () => {
  test('all-lowercase is rejected, naming the checksummed form', () => {
    expect(detailsOf(minimal.replace(address, address.toLowerCase()))).toBe(
      `line 2: address ${address.toLowerCase()} is not EIP-55 checksummed (all-lowercase addresses are rejected too); its checksummed form is ${address}`,
    )
  })

  test.each([
    ['all-uppercase', `0x${address.slice(2).toUpperCase()}`],
    ['a wrong checksum', address.replace('C02aaA', 'C02AaA')],
    ['an uppercase prefix', address.replace('0x', '0X')],
    ['too short', address.slice(0, -1)],
  ])('%s is rejected', (_, value) => {
    expect(detailsOf(minimal.replace(address, value))).toMatch(/^line 2: address /)
  })
})

test.each([
  ['a leading zero in the chain id', ['Chain ID: 1', 'Chain ID: 01'], 'line 7: chainId'],
  ['chain id 0', ['Chain ID: 1', 'Chain ID: 0'], 'line 7: chainId'],
  ['an unsafe chain id', ['Chain ID: 1', 'Chain ID: 9007199254740993'], 'line 7: chainId'],
  ['version 2', ['Version: 1', 'Version: 2'], 'line 6: version'],
  ['a short nonce', ['Nonce: 32891757', 'Nonce: 3289175'], 'line 8: nonce'],
  ['a nonce with a dash', ['Nonce: 32891757', 'Nonce: 3289-1757'], 'line 8: nonce'],
  ['February 30th', ['2021-09-30', '2021-02-30'], 'line 9: issuedAt'],
  ['a date without offset', ['16:25:24Z', '16:25:24'], 'line 9: issuedAt'],
  ['a trailing line break', ['24Z', '24Z\n'], 'line 10: unexpected empty line'],
  ['CRLF line ends', [/\n/g, '\r\n'], 'line 1: contains a carriage return'],
  ['a scheme in the domain position only', ['example.com', 'example.com/app'], 'line 1: domain'],
  ['a non-ASCII statement', ['\n\n\n', '\n\nCafé\n\n'], 'line 4: statement contains "é"'],
  ['a missing blank line', ['\n\n\n', '\n\n'], 'line 4: expected an empty line, found "URI: '],
  ['an unknown line', ['24Z', '24Z\nFoo: bar'], 'line 10: unexpected "Foo: bar"'],
  ['a duplicate line', ['24Z', '24Z\nNonce: 32891757'], 'line 10: unexpected "Nonce: 32891757"'],
  ['a missing line', ['\nChain ID: 1', ''], 'line 7: expected "Chain ID: …"'],
  ['a truncated message', [/\nVersion[\s\S]*$/, ''], 'line 6: expected "Version: …", but'],
] as const)('rejects %s', (_, [search, replacement], details) => {
  const message = minimal.replace(search, replacement)
  expect(message).not.toBe(minimal)
  expect(detailsOf(message)).toContain(details)
})

test('a statement that reads like a field is a statement', () => {
  const message = minimal.replace('\n\n\nURI', '\n\nURI: https://example.com/tos\n\nURI')
  expect(parseSiweMessage(message).statement).toBe('URI: https://example.com/tos')
  // So a later problem is reported where it is, not at the statement.
  expect(detailsOf(message.replace('Nonce: 32891757', 'Nonce: 1'))).toMatch(/^line 9: nonce /)
})

test('rejects non-strings from untyped callers', () => {
  for (const value of [undefined, null, 1, {}, [minimal]])
    expect(detailsOf(value)).toBe(`Expected the message as a string, got ${typeof value}.`)
})

test('the error is a BaseError a client can act on', () => {
  try {
    parseSiweMessage(minimal.replace('Nonce: 32891757', 'Nonce: 1234'))
    expect.unreachable()
  } catch (error) {
    expect(error).toBeInstanceOf(BaseError)
    expect(error).toMatchObject({
      name: 'InvalidSiweMessageError',
      code: 'SIWE_INVALID_MESSAGE',
      status: 400,
    })
    expect((error as BaseError).toJSON()).toStrictEqual({
      code: 'SIWE_INVALID_MESSAGE',
      message:
        'The sign-in message is not a valid EIP-4361 message. Build it with a SIWE library and sign it again.',
      details: 'line 8: nonce must be at least 8 letters or digits (A-Z, a-z, 0-9), got "1234"',
      docsPath: '/errors#siwe-invalid-message',
    })
  }
})
