import { ParsedMessage, SiweParseError } from '@signinwithethereum/siwe-parser'
import { siweMessageMaxLength } from './constants.js'
import { InvalidSiweMessageError, type InvalidSiweMessageErrorType } from './errors.js'
import {
  checkSiweFields,
  describe,
  findSiweMessageProblem,
  formatIssues,
  formatSiweMessage,
  isSiweMessage,
  markParsed,
} from './internal.js'
import type { SiweMessage } from './types.js'

export type ParseSiweMessageParameters = {
  /** The exact text the wallet signed (EIP-4361, lines separated by `\n`). */
  message: string
}

export type ParseSiweMessageReturnType = SiweMessage

export type ParseSiweMessageErrorType = InvalidSiweMessageErrorType

/**
 * Parses a Sign-In with Ethereum (EIP-4361) message, strictly: the text must match the EIP-4361
 * ABNF (checked by `@signinwithethereum/siwe-parser`), carry an EIP-55 checksummed address,
 * real RFC 3339 dates, version 1, a positive chain id and a nonce of 8+ letters or digits, and
 * re-serialise byte for byte to itself, so no line can be dropped, reordered or reformatted
 * between what the user signed and what the server acts on.
 *
 * The result is frozen: it is what the user signed, and `validateSiweMessage` relies on it not
 * changing. Spread it into a new object to derive other fields.
 *
 * Only the format is checked here: bind the message to the site, chain, nonce and time with
 * `validateSiweMessage`, and verify the signature separately.
 *
 * @example
 * parseSiweMessage(
 *   'example.com wants you to sign in with your Ethereum account:\n0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n\n\nURI: https://example.com\nVersion: 1\nChain ID: 1\nNonce: 32891757\nIssued At: 2021-09-30T16:25:24Z',
 * ) // { domain: 'example.com', address: '0xC02a…6Cc2', uri: 'https://example.com', … }
 *
 * @throws {InvalidSiweMessageError} When the message is not a string, is longer than
 * {@link siweMessageMaxLength}, or is not a valid EIP-4361 message; `details` names the line.
 */
export function parseSiweMessage(
  message: ParseSiweMessageParameters['message'],
): ParseSiweMessageReturnType {
  if (typeof message !== 'string')
    throw new InvalidSiweMessageError(undefined, {
      details: `Expected the message as a string, got ${typeof message}.`,
    })
  // Before parsing: the grammar's cost grows with the input, and the input is untrusted.
  if (message.length > siweMessageMaxLength)
    throw new InvalidSiweMessageError(undefined, {
      details: `The message is ${message.length} characters long; at most ${siweMessageMaxLength} are accepted.`,
    })

  let parsed: ParsedMessage
  try {
    parsed = new ParsedMessage(message)
  } catch (error) {
    throw new InvalidSiweMessageError(undefined, {
      cause: error,
      details: findSiweMessageProblem(message) ?? grammarProblem(error),
    })
  }

  const fields = toFields(parsed)
  // The parser only warns about unchecksummed addresses and parses "Chain ID: 01" as 1, so the
  // fields are checked again, and re-serialised to prove that nothing was dropped or rewritten.
  if (!isSiweMessage(fields, true))
    throw new InvalidSiweMessageError(undefined, {
      details: findSiweMessageProblem(message) ?? formatIssues(checkSiweFields(fields)),
    })
  const canonical = formatSiweMessage(fields)
  if (canonical !== message)
    throw new InvalidSiweMessageError(undefined, {
      details: findSiweMessageProblem(message) ?? firstDifference(canonical, message),
    })
  return markParsed(fields)
}

function toFields(parsed: ParsedMessage): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    domain: parsed.domain,
    address: parsed.address,
    uri: parsed.uri,
    version: parsed.version,
    chainId: parsed.chainId,
    nonce: parsed.nonce,
    issuedAt: parsed.issuedAt,
  }
  // Absent fields are left out rather than set to undefined, so results compare equal to the
  // objects `createSiweMessage` takes.
  const optional = {
    scheme: parsed.scheme,
    statement: parsed.statement,
    expirationTime: parsed.expirationTime,
    notBefore: parsed.notBefore,
    requestId: parsed.requestId,
    resources: parsed.resources,
  }
  for (const [field, value] of Object.entries(optional))
    if (value !== undefined) fields[field] = value
  return fields
}

function grammarProblem(error: unknown): string {
  const problems =
    error instanceof SiweParseError
      ? // The last entry dumps the parser's internal state, which helps nobody fix a message.
        error.errors.filter((problem) => !problem.startsWith('Invalid message: {'))
      : []
  return problems.length
    ? problems.join('; ')
    : 'The message does not follow the EIP-4361 format (see https://eips.ethereum.org/EIPS/eip-4361).'
}

function firstDifference(expected: string, actual: string): string {
  const expectedLines = expected.split('\n')
  const actualLines = actual.split('\n')
  const index = expectedLines.findIndex((line, i) => line !== actualLines[i])
  const line = index === -1 ? expectedLines.length : index
  const wanted = expectedLines[line]
  return `line ${line + 1}: not in canonical EIP-4361 form; expected ${wanted === undefined ? 'the end of the message' : describe(wanted)}`
}
