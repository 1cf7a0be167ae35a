import { siweMessageMaxLength } from './constants.js'
import { InvalidSiweMessageError, type InvalidSiweMessageErrorType } from './errors.js'
import { checkSiweFields, formatIssues, formatSiweMessage, isSameSiweMessage } from './internal.js'
import { parseSiweMessage } from './parseSiweMessage.js'
import type { SiweMessage } from './types.js'

export type CreateSiweMessageParameters = SiweMessage

export type CreateSiweMessageReturnType = string

export type CreateSiweMessageErrorType = InvalidSiweMessageErrorType

const shortMessage = 'These fields cannot make a valid EIP-4361 sign-in message.'

/**
 * Builds the canonical EIP-4361 text of a Sign-In with Ethereum message, for the wallet to sign.
 * The fields are checked as strictly as `parseSiweMessage` checks a message, so a message built
 * here always parses back to the same fields: `parseSiweMessage(createSiweMessage(fields))`
 * deep-equals `fields`.
 *
 * @example
 * createSiweMessage({
 *   domain: 'example.com',
 *   address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
 *   statement: 'Sign in to Example.',
 *   uri: 'https://example.com',
 *   version: '1',
 *   chainId: 1,
 *   nonce: generateSiweNonce(),
 *   issuedAt: new Date().toISOString(),
 * })
 *
 * @throws {InvalidSiweMessageError} When a field is missing, unknown or invalid (`details` names
 * each one), or the message would be longer than {@link siweMessageMaxLength}.
 */
export function createSiweMessage(
  fields: CreateSiweMessageParameters,
): CreateSiweMessageReturnType {
  const issues = checkSiweFields(fields)
  if (issues.length)
    throw new InvalidSiweMessageError(shortMessage, {
      details: formatIssues(issues),
    })

  const message = formatSiweMessage(fields)
  if (message.length > siweMessageMaxLength)
    throw new InvalidSiweMessageError(shortMessage, {
      details: `The message would be ${message.length} characters long; at most ${siweMessageMaxLength} are accepted. Shorten the statement or the resources.`,
    })

  // The field checks are meant to make this unreachable; parsing the result proves it, so no
  // field can smuggle in text that reads back as different fields (e.g. an extra line).
  let parsed: SiweMessage
  try {
    parsed = parseSiweMessage(message)
  } catch (error) {
    throw new InvalidSiweMessageError(shortMessage, {
      cause: error,
      details: `The built message does not parse back: ${error instanceof InvalidSiweMessageError ? error.details : 'unknown error'}`,
    })
  }
  if (!isSameSiweMessage(parsed, fields))
    throw new InvalidSiweMessageError(shortMessage, {
      details: 'The built message parses back to different fields.',
    })
  return message
}
