import {
  isEIP55Address,
  isUri,
  isValidISO8601Date,
  toChecksumAddress,
} from '@signinwithethereum/siwe-parser'
import type { SiweMessage } from './types.js'

export type SiweField = keyof SiweMessage

/** One problem with a field (`resources[1]`, `address`, …), phrased so a person can fix it. */
export type SiweFieldIssue = { field: string; message: string }

/**
 * `afterGrammar`: the value comes from a message the ABNF parser accepted, so the URI and
 * authority rules it already applied are not run again (they dominate the cost of a long list
 * of resources).
 */
type FieldCheck = (value: unknown, afterGrammar?: boolean) => string | undefined

// Values come from untrusted input; a long one would flood logs and responses.
const maxShownLength = 60

export function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > maxShownLength ? `${value.slice(0, maxShownLength)}…` : value
    return JSON.stringify(shown)
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'bigint') return `${value}n`
  return Array.isArray(value) ? '(array)' : `(${typeof value})`
}

// The character sets below are the EIP-4361 / RFC 3986 rules as the reference ABNF spells them
// out, so that fields are rejected here with a clear message rather than by the grammar later.
const schemePattern = /^[A-Za-z][A-Za-z0-9+\-.]*$/
const addressPattern = /^0x[0-9a-fA-F]{40}$/
const statementCharacter = /[A-Za-z0-9 !#$&'()*+,\-./:;=?@[\]_~]/
const noncePattern = /^[A-Za-z0-9]{8,}$/
const requestIdPattern = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/

const checkTimestamp: FieldCheck = (value) =>
  typeof value === 'string' && isValidISO8601Date(value)
    ? undefined
    : `must be an RFC 3339 date-time on a real calendar day, such as "2021-09-30T16:25:24Z", got ${describe(value)}`

const checkUri: FieldCheck = (value, afterGrammar = false) =>
  typeof value === 'string' && (afterGrammar || isUri(value))
    ? undefined
    : `must be an RFC 3986 URI such as "https://example.com/login", got ${describe(value)}`

const fieldChecks: { [field in SiweField]-?: FieldCheck } = {
  scheme: (value) =>
    typeof value === 'string' && schemePattern.test(value)
      ? undefined
      : `must be a URI scheme such as "https" (a letter, then letters, digits, "+", "-" or "."), got ${describe(value)}`,
  domain: (value, afterGrammar = false) => {
    if (typeof value !== 'string') return `must be a string, got ${describe(value)}`
    if (value === '') return 'must not be empty: it is the host (and port) asking for the sign-in'
    const hint = value.includes('://') ? '; put the scheme in `scheme`' : ''
    // The grammar's `authority` rule is not exported, but "x://" + authority is a URI whose
    // authority is the whole rest exactly when it has no path, query or fragment delimiter.
    if (/[/?#]/.test(value) || !(afterGrammar || isUri(`x://${value}`)))
      return `must be an RFC 3986 authority such as "example.com" or "localhost:3000" (no scheme, path or spaces), got ${describe(value)}${hint}`
    // RFC 3986 allows an empty host ("@", ":80"), but no site can be reached at one.
    if (hostOf(value) === '') return `names no host, got ${describe(value)}`
    return undefined
  },
  address: (value) => {
    if (typeof value !== 'string' || !addressPattern.test(value))
      return `must be "0x" followed by 40 hexadecimal digits, got ${describe(value)}`
    if (!isEIP55Address(value))
      return `${value} is not EIP-55 checksummed (all-lowercase addresses are rejected too); its checksummed form is ${toChecksumAddress(value)}`
    return undefined
  },
  statement: (value) => {
    if (typeof value !== 'string') return `must be a string, got ${describe(value)}`
    if (value.includes('\n')) return 'must be a single line (no line breaks)'
    for (const character of value)
      if (!statementCharacter.test(character))
        return `contains ${JSON.stringify(character)}, which EIP-4361 does not allow; use letters, digits, spaces and ! # $ & ' ( ) * + , - . / : ; = ? @ [ ] _ ~`
    return undefined
  },
  uri: checkUri,
  version: (value) => (value === '1' ? undefined : `must be "1", got ${describe(value)}`),
  chainId: (value) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 1
      ? undefined
      : `must be a positive integer (an EIP-155 chain id such as 1), got ${describe(value)}`,
  nonce: (value) =>
    typeof value === 'string' && noncePattern.test(value)
      ? undefined
      : `must be at least 8 letters or digits (A-Z, a-z, 0-9), got ${describe(value)}`,
  issuedAt: checkTimestamp,
  expirationTime: checkTimestamp,
  notBefore: checkTimestamp,
  requestId: (value) =>
    typeof value === 'string' && requestIdPattern.test(value)
      ? undefined
      : `may only contain letters, digits, %XX escapes and - . _ ~ ! $ & ' ( ) * + , ; = : @, got ${describe(value)}`,
  // Items are checked one by one in `checkSiweFields` so each issue names its index.
  resources: (value) =>
    Array.isArray(value) ? undefined : `must be an array of RFC 3986 URIs, got ${describe(value)}`,
}

/** Every field, in message order (the order of `fieldChecks`, which must name them all). */
export const siweFields = Object.keys(fieldChecks) as readonly SiweField[]

const requiredFields: ReadonlySet<string> = new Set<SiweField>([
  'domain',
  'address',
  'uri',
  'version',
  'chainId',
  'nonce',
  'issuedAt',
])

/** The problem with one field's value, or `undefined`; see {@link checkSiweFields}. */
export function checkSiweField(field: SiweField, value: unknown): string | undefined {
  return fieldChecks[field](value)
}

function isSiweField(key: string): key is SiweField {
  return Object.hasOwn(fieldChecks, key)
}

/**
 * Every problem with `value` as message fields: as strict as `parseSiweMessage`, so that anything
 * passing here serialises to a message it accepts. `undefined` counts as absent, for callers who
 * spread optional values.
 */
export function checkSiweFields(value: unknown, afterGrammar = false): SiweFieldIssue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [
      { field: 'fields', message: `must be an object of EIP-4361 fields, got ${describe(value)}` },
    ]
  const record = value as Record<string, unknown>
  const issues: SiweFieldIssue[] = []
  for (const key of Object.keys(record))
    if (!isSiweField(key))
      issues.push({
        field: key,
        message: `is not an EIP-4361 field; the fields are ${siweFields.join(', ')}`,
      })
  for (const field of siweFields) {
    const fieldValue = record[field]
    if (fieldValue === undefined) {
      if (requiredFields.has(field)) issues.push({ field, message: 'is required' })
      continue
    }
    const problem = fieldChecks[field](fieldValue, afterGrammar)
    if (problem) issues.push({ field, message: problem })
    else if (field === 'resources' && Array.isArray(fieldValue))
      fieldValue.forEach((resource: unknown, index) => {
        const resourceProblem = checkUri(resource, afterGrammar)
        if (resourceProblem) issues.push({ field: `resources[${index}]`, message: resourceProblem })
      })
  }
  return issues
}

export function isSiweMessage(value: unknown, afterGrammar = false): value is SiweMessage {
  return checkSiweFields(value, afterGrammar).length === 0
}

// Messages returned by parseSiweMessage, frozen so that they stay valid: validateSiweMessage
// trusts them instead of checking every field again, which for a long list of resources costs
// as much as parsing the message twice.
const parsedMessages = new WeakSet<object>()

/** Freezes `message` (and its resources) and records it as returned by `parseSiweMessage`. */
export function markParsed(message: SiweMessage): SiweMessage {
  if (message.resources) Object.freeze(message.resources)
  parsedMessages.add(Object.freeze(message))
  return message
}

/** Whether `value` is a message returned by `parseSiweMessage`, and so unchanged and valid. */
export function isParsed(value: unknown): boolean {
  return typeof value === 'object' && value !== null && parsedMessages.has(value)
}

// Enough to fix a message; thousands of bad resources must not make a response that large.
const maxShownIssues = 10

export function formatIssues(issues: readonly SiweFieldIssue[]): string {
  const shown = issues.slice(0, maxShownIssues).map(({ field, message }) => `${field}: ${message}`)
  if (issues.length > maxShownIssues) shown.push(`and ${issues.length - maxShownIssues} more`)
  return shown.join('; ')
}

const headerSuffix = ' wants you to sign in with your Ethereum account:'

/** The canonical EIP-4361 text of `fields`, without any validation. */
export function formatSiweMessage(fields: SiweMessage): string {
  const { scheme, domain, address, statement, uri, version, chainId, nonce, issuedAt } = fields
  const lines = [
    `${scheme === undefined ? '' : `${scheme}://`}${domain}${headerSuffix}`,
    address,
    '',
  ]
  // An empty statement is its own (empty) line, so it differs from no statement.
  if (statement === undefined) lines.push('')
  else lines.push(statement, '')
  lines.push(
    `URI: ${uri}`,
    `Version: ${version}`,
    `Chain ID: ${chainId}`,
    `Nonce: ${nonce}`,
    `Issued At: ${issuedAt}`,
  )
  if (fields.expirationTime !== undefined) lines.push(`Expiration Time: ${fields.expirationTime}`)
  if (fields.notBefore !== undefined) lines.push(`Not Before: ${fields.notBefore}`)
  if (fields.requestId !== undefined) lines.push(`Request ID: ${fields.requestId}`)
  if (fields.resources !== undefined)
    lines.push('Resources:', ...fields.resources.map((resource) => `- ${resource}`))
  return lines.join('\n')
}

/** Whether two valid messages have the same fields, an absent one equal only to an absent one. */
export function isSameSiweMessage(a: SiweMessage, b: SiweMessage): boolean {
  return siweFields.every((field) => {
    const left = a[field]
    const right = b[field]
    if (Array.isArray(left) && Array.isArray(right))
      return left.length === right.length && left.every((item, index) => item === right[index])
    return left === right
  })
}

const requiredLines = [
  ['URI: ', 'uri'],
  ['Version: ', 'version'],
  ['Chain ID: ', 'chainId'],
  ['Nonce: ', 'nonce'],
  ['Issued At: ', 'issuedAt'],
] as const
const optionalLines = [
  ['Expiration Time: ', 'expirationTime'],
  ['Not Before: ', 'notBefore'],
  ['Request ID: ', 'requestId'],
] as const
const resourcesLine = 'Resources:'
const labels = [...requiredLines, ...optionalLines].map(([label]) => label.trim())
const orderHint =
  ' (out of order: after the statement come URI, Version, Chain ID, Nonce and Issued At, then optionally Expiration Time, Not Before, Request ID and Resources, each once and in this order)'

function describeLine(line: string): string {
  return line === '' ? 'an empty line' : describe(line)
}

function orderHintFor(line: string): string {
  return [...labels, resourcesLine].some((label) => line.startsWith(label)) ? orderHint : ''
}

/**
 * The first problem in `message`, as `line N: …`, or `undefined` if none is found. This explains a
 * rejection to a person; whether a message is accepted is decided by the ABNF parser.
 */
export function findSiweMessageProblem(message: string): string | undefined {
  const lines = message.split('\n')
  const at = (index: number, problem: string) => `line ${index + 1}: ${problem}`
  const check = (index: number, field: SiweField, value: unknown) => {
    const problem = fieldChecks[field](value)
    return problem ? at(index, `${field} ${problem}`) : undefined
  }

  const carriageReturn = lines.findIndex((line) => line.includes('\r'))
  if (carriageReturn !== -1)
    return at(carriageReturn, 'contains a carriage return; EIP-4361 lines end with "\\n" only')

  const header = lines[0] ?? ''
  if (!header.endsWith(headerSuffix))
    return at(0, `expected "<domain>${headerSuffix}", found ${describeLine(header)}`)
  let domain = header.slice(0, -headerSuffix.length)
  const schemeEnd = domain.indexOf('://')
  if (schemeEnd !== -1) {
    const problem = check(0, 'scheme', domain.slice(0, schemeEnd))
    if (problem) return problem
    domain = domain.slice(schemeEnd + 3)
  }
  const domainProblem = check(0, 'domain', domain)
  if (domainProblem) return domainProblem

  const address = lines[1]
  if (address === undefined || address === '')
    return at(
      1,
      `expected the address ("0x" and 40 hexadecimal digits), found ${address === undefined ? 'the end of the message' : 'an empty line'}`,
    )
  const addressProblem = check(1, 'address', address)
  if (addressProblem) return addressProblem
  if (lines[2] !== '')
    return at(
      2,
      `expected an empty line after the address, found ${lines[2] === undefined ? 'the end of the message' : describeLine(lines[2])}`,
    )

  let index = 3
  const afterBlank = lines[3]
  if (afterBlank === undefined)
    return at(3, 'expected the statement or an empty line, but the message ends here')
  if (afterBlank === '') index = lines[4] === '' ? 5 : 4
  // A statement may itself read "URI: …"; only without the empty line after it is it a field
  // line that came too early.
  else if (lines[4] !== '' && orderHintFor(afterBlank))
    return at(
      3,
      `expected an empty line, found ${describe(afterBlank)}: after the address come an empty line, an optional one-line statement and another empty line, then "URI: …"`,
    )
  else {
    const problem = check(3, 'statement', afterBlank)
    if (problem) return problem
    if (lines[4] !== '')
      return at(
        4,
        `expected an empty line after the statement (a statement is a single line), found ${lines[4] === undefined ? 'the end of the message' : describeLine(lines[4])}`,
      )
    index = 5
  }

  for (const [label, field] of requiredLines) {
    const line = lines[index]
    if (line === undefined) return at(index, `expected "${label}…", but the message ends here`)
    if (!line.startsWith(label))
      return at(index, `expected "${label}…", found ${describeLine(line)}${orderHintFor(line)}`)
    const text = line.slice(label.length)
    const problem =
      field === 'chainId'
        ? // Digits only and no leading zero, so the number re-serialises to the same text.
          /^[1-9][0-9]*$/.test(text) && Number.isSafeInteger(Number(text))
          ? undefined
          : at(
              index,
              `chainId must be a positive decimal integer without leading zeros (an EIP-155 chain id such as 1), got ${describe(text)}`,
            )
        : check(index, field, text)
    if (problem) return problem
    index++
  }

  for (const [label, field] of optionalLines) {
    const line = lines[index]
    if (!line?.startsWith(label)) continue
    const problem = check(index, field, line.slice(label.length))
    if (problem) return problem
    index++
  }

  if (lines[index] === resourcesLine) {
    index++
    for (; index < lines.length; index++) {
      const line = lines[index] ?? ''
      if (!line.startsWith('- '))
        return at(
          index,
          `expected a resource line "- <URI>", found ${describeLine(line)}${orderHintFor(line)}`,
        )
      const problem = checkUri(line.slice(2))
      if (problem) return at(index, `resource ${problem}`)
    }
  }

  const extra = lines[index]
  if (extra === undefined) return undefined
  if (extra === '')
    return at(index, 'unexpected empty line (the message must not end with a line break)')
  return at(index, `unexpected ${describe(extra)}${orderHintFor(extra)}`)
}

/** The host part of an RFC 3986 authority (`userinfo@host:port`), without IPv6 brackets. */
function hostOf(authority: string): string {
  // `userinfo` cannot contain "@", so the first one ends it.
  const rest = authority.slice(authority.indexOf('@') + 1)
  if (rest.startsWith('[')) return rest.slice(1, rest.indexOf(']'))
  const colon = rest.indexOf(':')
  return colon === -1 ? rest : rest.slice(0, colon)
}

const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/

/**
 * Milliseconds since the epoch of an RFC 3339 date-time, or `NaN`. Done by hand because
 * `Date.parse` is only specified for its own ISO format, not for lowercase "t"/"z", other
 * offsets or more than three fractional digits.
 */
export function toTimestamp(value: string): number {
  const match = dateTimePattern.exec(value)
  if (!match) return Number.NaN
  const [, year, month, day, hour, minute, second, fraction = '', sign, offsetHour, offsetMinute] =
    match
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day))
  date.setUTCHours(
    Number(hour),
    Number(minute),
    Number(second),
    Number(fraction.slice(0, 3).padEnd(3, '0')),
  )
  if (sign === undefined) return date.getTime()
  const offset = (Number(offsetHour) * 60 + Number(offsetMinute)) * 60_000
  return sign === '+' ? date.getTime() - offset : date.getTime() + offset
}
