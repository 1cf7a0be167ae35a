import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { BaseError } from '../errors/base.js'
import { createSiweMessage } from './createSiweMessage.js'
import { InvalidSiweMessageError } from './errors.js'
import { formatSiweMessage } from './internal.js'
import { parseSiweMessage } from './parseSiweMessage.js'
import type { SiweMessage } from './types.js'
import { validateSiweMessage } from './validateSiweMessage.js'

// The reference vectors live beside the repository (/work/main/../shared), read by path and never
// copied in; see SOURCES.md there. A missing file fails this suite at load time, it never skips.
const folder = new URL('../../../../../shared/conformance/siwe/', import.meta.url)

function load<vectors>(path: string): vectors {
  return JSON.parse(readFileSync(new URL(path, folder), 'utf8')) as vectors
}

type Fields = Record<string, unknown>
type Chars = Record<string, { rule: string; input: string; answer: boolean }>

const parsingPositive =
  load<Record<string, { message: string; fields: Fields }>>('parsing_positive.json')
const parsingNegative = load<Record<string, string>>('parsing_negative.json')
const parsingNegativeObjects = load<Record<string, Fields>>('parsing_negative_objects.json')
const verificationPositive = load<Record<string, Fields>>('verification_positive.json')
const verificationNegative = load<Record<string, Fields>>('verification_negative.json')
const eip1271 = load<Record<string, { message: string; signature: string }>>('eip1271.json')
const validChars = load<Chars>('grammar/valid_chars.json')
const invalidChars = load<Chars>('grammar/invalid_chars.json')
const validUris = load<Record<string, { msg: string; uri: Fields }>>('grammar/valid_uris.json')
const invalidUris = load<Record<string, string>>('grammar/invalid_uris.json')
const validResources = load<Record<string, { msg: string; resources: string[] }>>(
  'grammar/valid_resources.json',
)
const invalidResources = load<Record<string, string>>('grammar/invalid_resources.json')
const validSpecification = load<Record<string, { msg: string; items: Fields }>>(
  'grammar/valid_specification.json',
)
const messageObjects = load<Record<string, { msg: Fields; error: string }>>(
  'grammar/message_objects.json',
)

test('the vector files hold the cases SOURCES.md lists', () => {
  const count = (vectors: object) => Object.keys(vectors).length
  expect({
    parsingPositive: count(parsingPositive),
    parsingNegative: count(parsingNegative),
    parsingNegativeObjects: count(parsingNegativeObjects),
    verificationPositive: count(verificationPositive),
    verificationNegative: count(verificationNegative),
    eip1271: count(eip1271),
    validChars: count(validChars),
    invalidChars: count(invalidChars),
    validUris: count(validUris),
    invalidUris: count(invalidUris),
    validResources: count(validResources),
    invalidResources: count(invalidResources),
    validSpecification: count(validSpecification),
    messageObjects: count(messageObjects),
  }).toStrictEqual({
    parsingPositive: 19,
    parsingNegative: 29,
    parsingNegativeObjects: 18,
    verificationPositive: 4,
    verificationNegative: 10,
    eip1271: 2,
    validChars: 8,
    invalidChars: 40,
    validUris: 36,
    invalidUris: 17,
    validResources: 8,
    invalidResources: 16,
    validSpecification: 9,
    messageObjects: 13,
  })
})

/** The vectors write an absent field as `null`; our messages leave it out. */
function withoutNulls(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null))
}

function asMessage(fields: Fields): SiweMessage {
  return fields as SiweMessage
}

function errorOf(run: () => unknown): BaseError {
  try {
    run()
  } catch (error) {
    if (error instanceof BaseError) return error
    throw error
  }
  throw new Error('expected an error, but none was thrown')
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    if (error instanceof BaseError) return error.code
    throw error
  }
}

/** Rejected as an invalid message, with details that point at a line. */
function expectRejectedAtLine(message: string) {
  const error = errorOf(() => parseSiweMessage(message))
  expect(error).toBeInstanceOf(InvalidSiweMessageError)
  expect(error.code).toBe('SIWE_INVALID_MESSAGE')
  expect(error.details).toMatch(/^line \d+: /)
  return error
}

describe('parsing_positive.json: parses to exactly `fields`, which build the same text', () => {
  test.each(Object.entries(parsingPositive))('%s', (_, { message, fields }) => {
    expect(parseSiweMessage(message)).toStrictEqual(withoutNulls(fields))
    expect(createSiweMessage(asMessage(withoutNulls(fields)))).toBe(message)
  })
})

describe('parsing_negative.json: rejected with SIWE_INVALID_MESSAGE', () => {
  test.each(Object.entries(parsingNegative))('%s', (_, message) => {
    expect(expectRejectedAtLine(message).details).toMatchSnapshot()
  })
})

// The field each case gets wrong, which the error's details must name first.
const negativeObjectFields: Record<string, string> = {
  'missing domain': 'domain',
  'missing address': 'address',
  'missing uri': 'uri',
  'missing version': 'version',
  'missing chainId': 'chainId',
  'missing nonce': 'nonce',
  'missing issuedAt': 'issuedAt',
  'domain not RFC4501 authority': 'domain',
  'address not EIP-55': 'address',
  'uri is non-RFC 3986': 'uri',
  'version not 1': 'version',
  'not a valid chainId': 'chainId',
  'nonce with less then 8 chars': 'nonce',
  'non-ISO 8601 issuedAt': 'issuedAt',
  'non-ISO 8601 expirationTime': 'expirationTime',
  'non-ISO 8601 notBefore': 'notBefore',
  'first resource not-RFC 3986': 'resources[0]',
  'second resource is not-RFC3986': 'resources[1]',
}

describe('parsing_negative_objects.json: createSiweMessage rejects, naming the field', () => {
  test('every case has an expected field', () => {
    expect(Object.keys(negativeObjectFields).sort()).toStrictEqual(
      Object.keys(parsingNegativeObjects).sort(),
    )
  })

  test.each(Object.entries(parsingNegativeObjects))('%s', (name, fields) => {
    const error = errorOf(() => createSiweMessage(asMessage(fields)))
    expect(error).toBeInstanceOf(InvalidSiweMessageError)
    expect(error.code).toBe('SIWE_INVALID_MESSAGE')
    expect(error.details).toMatch(
      new RegExp(`^${escapeRegExp(negativeObjectFields[name] ?? '?')}: `),
    )
  })
})

describe('grammar/message_objects.json: valid objects build and parse back, invalid ones are rejected', () => {
  // The reference error text, mapped to the field our details name first.
  const errorFields: Record<string, string> = {
    'invalid EIP-55 address': 'address',
    'invalid resource URI': 'resources[',
    'invalid issued-at date time syntax': 'issuedAt',
    'invalid issued-at date time semantics': 'issuedAt',
    'invalid expiration-time date time syntax': 'expirationTime',
    'invalid expiration-time date time semantics': 'expirationTime',
    'invalid not-before date time syntax': 'notBefore',
    'invalid not-before date time semantics': 'notBefore',
  }

  test.each(Object.entries(messageObjects))('%s', (_, { msg, error: expected }) => {
    if (expected === 'none') {
      const message = createSiweMessage(asMessage(msg))
      expect(parseSiweMessage(message)).toStrictEqual(msg)
      return
    }
    const error = errorOf(() => createSiweMessage(asMessage(msg)))
    expect(error.code).toBe('SIWE_INVALID_MESSAGE')
    const field = errorFields[expected]
    expect(field, `no field known for ${JSON.stringify(expected)}`).toBeDefined()
    expect(error.details?.startsWith(field ?? '?')).toBe(true)
  })
})

describe('grammar/valid_specification.json: statement, request id and resources present, empty or absent', () => {
  test.each(Object.entries(validSpecification))('%s', (_, { msg, items }) => {
    const message = parseSiweMessage(msg)
    for (const [field, value] of Object.entries(items))
      if (value === null) expect(message).not.toHaveProperty(field)
      else expect(message).toHaveProperty(field, value)
    expect(createSiweMessage(message)).toBe(msg)
  })
})

describe('grammar/valid_uris.json: accepted, with the URI kept exactly', () => {
  test.each(Object.entries(validUris))('%s', (_, { msg }) => {
    const uri = /\nURI: ([^\n]*)\n/.exec(msg)?.[1]
    expect(parseSiweMessage(msg).uri).toBe(uri)
  })
})

describe('grammar/invalid_uris.json: rejected', () => {
  test.each(Object.entries(invalidUris))('%s', (_, message) => {
    expectRejectedAtLine(message)
  })
})

describe('grammar/valid_resources.json: accepted, with the resources kept exactly', () => {
  test.each(Object.entries(validResources))('%s', (_, { msg, resources }) => {
    expect(parseSiweMessage(msg).resources).toStrictEqual(resources)
  })
})

describe('grammar/invalid_resources.json: rejected', () => {
  test.each(Object.entries(invalidResources))('%s', (_, message) => {
    expectRejectedAtLine(message)
  })
})

// These vectors test single ABNF rules, which the parser package does not expose. Each input is
// put where the rule applies in a message, at a spot where no other rule can absorb it (a
// reg-name after "user@", so a lone "@" cannot pass as an empty userinfo; pchar as the request
// id, where "?" and "#" cannot start a query or fragment).
const base: SiweMessage = {
  domain: 'service.org',
  address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
  uri: 'uri:',
  version: '1',
  chainId: 1,
  nonce: '32891757',
  issuedAt: '2021-09-30T16:25:24.000Z',
}
const ruleEmbeddings: Record<string, (input: string) => Partial<SiweMessage>> = {
  scheme: (input) => ({ uri: `${input}:` }),
  statement: (input) => ({ statement: input }),
  userinfo: (input) => ({ domain: `${input}@example.com` }),
  IPvFuture: (input) => ({ domain: `[${input}]` }),
  'reg-name': (input) => ({ domain: `user@${input}` }),
  'segment-nz': (input) => ({ requestId: input }),
  'pct-encoded': (input) => ({ requestId: input }),
  fragment: (input) => ({ uri: `uri:#${input}` }),
}

describe.each([
  ['grammar/valid_chars.json', validChars],
  ['grammar/invalid_chars.json', invalidChars],
])('%s: each rule accepts or rejects its characters inside a message', (_, vectors) => {
  test.each(Object.entries(vectors))('%s', (_, { rule, input, answer }) => {
    const embed = ruleEmbeddings[rule]
    expect(embed, `no embedding for rule ${rule}`).toBeDefined()
    const fields = { ...base, ...embed?.(input) }
    const message = formatSiweMessage(fields)
    if (answer) expect(parseSiweMessage(message)).toStrictEqual(fields)
    else expectRejectedAtLine(message)
  })
})

/**
 * Everything verification checks except the signature: the fields as the text the wallet signed,
 * parsed, then validated at the vector's `time` (the reference defaults it to `issuedAt`) against
 * its `domainBinding` and `matchNonce`. The text is built without validation, so that the parser
 * is what judges it.
 */
function verifyWithoutSignature(vector: Fields, options: { clockSkew?: number } = {}): void {
  const { signature: _, time, domainBinding, matchNonce, ...fields } = vector
  const message = parseSiweMessage(formatSiweMessage(asMessage(fields)))
  validateSiweMessage({
    message,
    time: new Date(String(time ?? fields.issuedAt)),
    domain: domainBinding === undefined ? undefined : String(domainBinding),
    nonce: matchNonce === undefined ? undefined : String(matchNonce),
    ...options,
  })
}

describe('verification_positive.json: valid at their time, signature aside', () => {
  test.each(Object.entries(verificationPositive).filter(([name]) => name !== 'expired message'))(
    '%s',
    (_, vector) => {
      expect(() => verifyWithoutSignature(vector)).not.toThrow()
    },
  )

  // Deliberate deviation: this message is checked at 2020-01-05 but was issued at 2022-01-05, two
  // years in the future, which the reference never checks and validateSiweMessage refuses beyond
  // `clockSkew`. With a skew covering the gap, its expiration and notBefore checks pass.
  test('expired message: issued two years after `time`, so not valid yet', () => {
    const vector = verificationPositive['expired message'] ?? {}
    expect(codeOf(() => verifyWithoutSignature(vector))).toBe('SIWE_NOT_YET_VALID')
    const twoYears = 2 * 366 * 24 * 60 * 60 * 1000
    expect(() => verifyWithoutSignature(vector, { clockSkew: twoYears })).not.toThrow()
  })
})

// Signature failures, verified in the server (SOURCES.md: their signatures do not recover to the
// address, which needs signature recovery and so is out of scope here).
const signatureFailures = ['malformed signature', 'wrong signature', 'invalid issuedAt']

const negativeCodes: Record<string, string | undefined> = {
  'expired message': 'SIWE_EXPIRED',
  'domain binding': 'SIWE_DOMAIN_MISMATCH',
  'custom time': 'SIWE_EXPIRED',
  'custom nonce': 'SIWE_NONCE_INVALID',
  'malformed signature': undefined,
  'wrong signature': undefined,
  'not yet valid': 'SIWE_NOT_YET_VALID',
  // Its signature is bad too, but February 31st is no date, so parsing refuses it first.
  'invalid issuedAt': 'SIWE_INVALID_MESSAGE',
  'invalid notBefore': 'SIWE_INVALID_MESSAGE',
  'invalid expirationTime': 'SIWE_INVALID_MESSAGE',
}

describe('verification_negative.json: rejected by parse or validate with the right code', () => {
  test('every case has an expected outcome', () => {
    expect(Object.keys(negativeCodes).sort()).toStrictEqual(
      Object.keys(verificationNegative).sort(),
    )
  })

  test.each(Object.entries(verificationNegative))('%s', (name, vector) => {
    expect(codeOf(() => verifyWithoutSignature(vector))).toBe(negativeCodes[name])
  })

  test('only signature failures are left for the server to reject', () => {
    const left = Object.entries(verificationNegative)
      .filter(([, vector]) => codeOf(() => verifyWithoutSignature(vector)) === undefined)
      .map(([name]) => name)
    expect(left).toStrictEqual(['malformed signature', 'wrong signature'])
    expect(signatureFailures).toEqual(expect.arrayContaining(left))
    expect(signatureFailures.filter((name) => !left.includes(name))).toStrictEqual([
      'invalid issuedAt',
    ])
  })
})

// Contract-wallet signatures need a mainnet RPC, so only their messages are checked here; the
// signatures are verified in the server.
describe('eip1271.json: the messages parse and validate', () => {
  test.each(Object.entries(eip1271))('%s', (_, { message }) => {
    const parsed = parseSiweMessage(message)
    expect(createSiweMessage(parsed)).toBe(message)
    validateSiweMessage({
      message: parsed,
      domain: 'localhost:4361',
      uri: 'http://localhost:4361',
      chainIds: [1],
      time: new Date(parsed.issuedAt),
    })
  })
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
