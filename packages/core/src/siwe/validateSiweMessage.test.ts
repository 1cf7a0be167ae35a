import { afterEach, describe, expect, test, vi } from 'vitest'
import { InvalidInputError } from '../errors/request.js'
import {
  InvalidSiweMessageError,
  SiweChainUnsupportedError,
  SiweDomainMismatchError,
  SiweExpiredError,
  SiweNonceInvalidError,
  SiweNotYetValidError,
} from './errors.js'
import type { SiweMessage } from './types.js'
import { type ValidateSiweMessageParameters, validateSiweMessage } from './validateSiweMessage.js'

const message: SiweMessage = {
  domain: 'example.com',
  address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
  uri: 'https://example.com/login',
  version: '1',
  chainId: 1,
  nonce: 'q3RjXw0TzB9mVYk2Lc7hNa',
  issuedAt: '2025-01-01T12:00:00Z',
}
const issuedAt = new Date('2025-01-01T12:00:00Z').getTime()
const at = (offset: number) => new Date(issuedAt + offset)

const matching: ValidateSiweMessageParameters = {
  message,
  domain: 'example.com',
  uri: 'https://example.com',
  chainIds: [1, 8453],
  nonce: 'q3RjXw0TzB9mVYk2Lc7hNa',
  time: at(1000),
  maxAge: 600_000,
}

function errorOf(parameters: ValidateSiweMessageParameters): unknown {
  try {
    validateSiweMessage(parameters)
  } catch (error) {
    return error
  }
  throw new Error('expected validateSiweMessage to throw')
}

afterEach(() => {
  vi.useRealTimers()
})

test('a message matching every option passes', () => {
  expect(validateSiweMessage(matching)).toBeUndefined()
})

test('with no options only the message itself and the time are checked', () => {
  vi.useFakeTimers({ now: at(1000) })
  expect(() => validateSiweMessage({ message })).not.toThrow()
  // The default time is now: a message issued an hour from now is refused.
  vi.setSystemTime(at(-3_600_000))
  expect(errorOf({ message })).toBeInstanceOf(SiweNotYetValidError)
})

describe('domain', () => {
  test.each([
    ['one domain', 'example.com'],
    ['a list', ['app.example.com', 'example.com']],
  ])('matches %s', (_, domain) => {
    expect(() => validateSiweMessage({ ...matching, domain })).not.toThrow()
  })

  test.each([
    ['another site', 'example.org'],
    ['a subdomain', 'app.example.com'],
    ['a port', 'example.com:443'],
    // Compared exactly: a wallet shows what the page's origin put in the message.
    ['another case', 'Example.com'],
  ])('refuses %s', (_, domain) => {
    const error = errorOf({ ...matching, domain })
    expect(error).toBeInstanceOf(SiweDomainMismatchError)
    expect(error).toMatchObject({
      code: 'SIWE_DOMAIN_MISMATCH',
      status: 401,
      details: `The message is for "example.com"; this site signs in from "${domain}".`,
    })
  })
})

describe('uri: same origin as one configured', () => {
  test.each([
    ['the origin', 'https://example.com'],
    ['another path on it', 'https://example.com/other?x=1#y'],
    ['its default port spelled out', 'https://example.com:443/'],
    ['its host in capitals', 'https://EXAMPLE.com'],
    ['a list', ['http://localhost:5173', 'https://example.com']],
  ])('matches %s', (_, uri) => {
    expect(() => validateSiweMessage({ ...matching, uri })).not.toThrow()
  })

  test.each([
    ['another scheme', 'http://example.com'],
    ['another port', 'https://example.com:8443'],
    ['a subdomain', 'https://app.example.com'],
    ['a parent domain', 'https://com'],
  ])('refuses %s', (_, uri) => {
    const error = errorOf({ ...matching, uri })
    expect(error).toBeInstanceOf(SiweDomainMismatchError)
    expect((error as SiweDomainMismatchError).details).toBe(
      `The message's URI "https://example.com/login" is not on this site's origin (${new URL(uri).origin}).`,
    )
  })

  test.each([
    ['userinfo naming the site', 'https://example.com@evil.com/login'],
    // Opaque origins all serialise to "null", which must not count as a match.
    ['an opaque URI', 'did:web:example.com'],
  ])('refuses a message URI with %s', (_, uri) => {
    expect(errorOf({ ...matching, message: { ...message, uri } })).toBeInstanceOf(
      SiweDomainMismatchError,
    )
  })

  test('a configured URI without an origin is a configuration error', () => {
    const error = errorOf({ ...matching, uri: ['https://example.com', 'urn:example'] })
    expect(error).toBeInstanceOf(InvalidInputError)
    expect((error as InvalidInputError).issues).toStrictEqual([
      {
        path: 'uri[1]',
        message:
          'expected a URL with a scheme://host origin such as "https://example.com", got "urn:example"',
      },
    ])
  })
})

test('chain', () => {
  expect(() => validateSiweMessage({ ...matching, chainIds: [1] })).not.toThrow()
  const error = errorOf({ ...matching, chainIds: [8453, 10] })
  expect(error).toBeInstanceOf(SiweChainUnsupportedError)
  expect(error).toMatchObject({
    code: 'SIWE_CHAIN_UNSUPPORTED',
    status: 400,
    details: 'The message is for chain 1; this server supports chain 8453 or 10.',
  })
})

test('nonce', () => {
  const error = errorOf({ ...matching, nonce: 'AnotherNonce123' })
  expect(error).toBeInstanceOf(SiweNonceInvalidError)
  expect(error).toMatchObject({ code: 'SIWE_NONCE_INVALID', status: 401 })
  // The expected nonce is never echoed back.
  expect(JSON.stringify(error)).not.toContain('AnotherNonce123')
})

describe('expirationTime', () => {
  const expiring = { ...message, expirationTime: '2025-01-01T12:10:00Z' }

  test('valid until just before it', () => {
    expect(() =>
      validateSiweMessage({ ...matching, message: expiring, time: at(599_999) }),
    ).not.toThrow()
  })

  test('expired from that instant on, with no clock skew', () => {
    const error = errorOf({ ...matching, message: expiring, time: at(600_000) })
    expect(error).toBeInstanceOf(SiweExpiredError)
    expect(error).toMatchObject({
      code: 'SIWE_EXPIRED',
      status: 401,
      details: 'The message expired at "2025-01-01T12:10:00Z"; it is now 2025-01-01T12:10:00.000Z.',
    })
  })

  test('an offset is honoured', () => {
    const offset = { ...message, expirationTime: '2025-01-01T13:10:00+01:00' }
    expect(() =>
      validateSiweMessage({ ...matching, message: offset, time: at(599_999) }),
    ).not.toThrow()
    expect(errorOf({ ...matching, message: offset, time: at(600_000) })).toBeInstanceOf(
      SiweExpiredError,
    )
  })
})

test('maxAge', () => {
  expect(() => validateSiweMessage({ ...matching, maxAge: 60_000, time: at(60_000) })).not.toThrow()
  const error = errorOf({ ...matching, maxAge: 60_000, time: at(60_001) })
  expect(error).toBeInstanceOf(SiweExpiredError)
  expect((error as SiweExpiredError).details).toBe(
    'The message was issued at "2025-01-01T12:00:00Z", more than 60 s ago (the most this server accepts); it is now 2025-01-01T12:01:00.001Z.',
  )
})

describe('notBefore', () => {
  const later = { ...message, notBefore: '2025-01-01T12:05:00Z' }

  test('valid from clockSkew before it', () => {
    expect(() =>
      validateSiweMessage({ ...matching, message: later, time: at(300_000 - 30_000) }),
    ).not.toThrow()
    expect(() =>
      validateSiweMessage({ ...matching, message: later, time: at(300_000), clockSkew: 0 }),
    ).not.toThrow()
  })

  test('not valid before that', () => {
    const error = errorOf({ ...matching, message: later, time: at(300_000 - 30_001) })
    expect(error).toBeInstanceOf(SiweNotYetValidError)
    expect(error).toMatchObject({
      code: 'SIWE_NOT_YET_VALID',
      status: 401,
      details:
        'The message is valid from "2025-01-01T12:05:00Z"; it is now 2025-01-01T12:04:29.999Z.',
    })
    expect(
      errorOf({ ...matching, message: later, time: at(299_999), clockSkew: 0 }),
    ).toBeInstanceOf(SiweNotYetValidError)
  })
})

describe('issuedAt in the future', () => {
  test('tolerated up to clockSkew', () => {
    expect(() => validateSiweMessage({ ...matching, time: at(-30_000) })).not.toThrow()
    expect(() =>
      validateSiweMessage({ ...matching, time: at(-120_000), clockSkew: 120_000 }),
    ).not.toThrow()
  })

  test('refused beyond it', () => {
    const error = errorOf({ ...matching, time: at(-30_001) })
    expect(error).toBeInstanceOf(SiweNotYetValidError)
    expect((error as SiweNotYetValidError).details).toBe(
      'The message was issued at "2025-01-01T12:00:00Z", more than 30 s after now (2025-01-01T11:59:29.999Z); check the device clock.',
    )
    expect(errorOf({ ...matching, time: at(-1), clockSkew: 0 })).toBeInstanceOf(
      SiweNotYetValidError,
    )
  })
})

test('a hand-made message that parseSiweMessage would refuse is refused', () => {
  // An unparsable date would otherwise compare as NaN and pass every time check.
  const error = errorOf({
    ...matching,
    message: { ...message, expirationTime: 'tomorrow' },
  })
  expect(error).toBeInstanceOf(InvalidSiweMessageError)
  expect((error as InvalidSiweMessageError).details).toMatch(/^expirationTime: must be an RFC 3339/)
})

describe('invalid options are configuration errors', () => {
  test.each([
    ['an empty domain list', { domain: [] }, 'domain', 'expected at least one value'],
    [
      'a domain with a scheme',
      { domain: 'https://example.com' },
      'domain[0]',
      'must be an RFC 3986 authority',
    ],
    [
      'a domain list with a number',
      { domain: ['example.com', 1] },
      'domain',
      'expected a string or an array of strings',
    ],
    ['an empty URI list', { uri: [] }, 'uri', 'expected at least one value'],
    ['a relative URI', { uri: '/login' }, 'uri[0]', 'expected a URL with a scheme://host origin'],
    ['an empty chain list', { chainIds: [] }, 'chainIds', 'expected a non-empty array'],
    ['a chain id string', { chainIds: ['1'] }, 'chainIds[0]', 'must be a positive integer'],
    ['a malformed nonce', { nonce: 'short' }, 'nonce', 'must be at least 8 letters or digits'],
    ['an invalid Date', { time: new Date(Number.NaN) }, 'time', 'expected a valid Date'],
    ['a time string', { time: '2025-01-01T12:00:00Z' }, 'time', 'expected a valid Date, got "2025'],
    ['a negative maxAge', { maxAge: -1 }, 'maxAge', 'expected a non-negative number'],
    [
      'an infinite clockSkew',
      { clockSkew: Infinity },
      'clockSkew',
      'expected a non-negative number',
    ],
    ['a NaN clockSkew', { clockSkew: Number.NaN }, 'clockSkew', 'expected a non-negative number'],
  ] as const)('%s', (_, change, path, message) => {
    const error = errorOf({ ...matching, ...change } as unknown as ValidateSiweMessageParameters)
    expect(error).toBeInstanceOf(InvalidInputError)
    expect((error as InvalidInputError).issues).toStrictEqual([
      { path, message: expect.stringContaining(message) },
    ])
  })

  test('no parameters', () => {
    expect(errorOf(undefined as unknown as ValidateSiweMessageParameters)).toBeInstanceOf(
      InvalidInputError,
    )
  })
})
