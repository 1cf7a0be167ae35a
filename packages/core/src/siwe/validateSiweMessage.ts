import {
  InvalidInputError,
  type InvalidInputErrorType,
  type InvalidInputIssue,
} from '../errors/request.js'
import {
  InvalidSiweMessageError,
  type InvalidSiweMessageErrorType,
  SiweChainUnsupportedError,
  type SiweChainUnsupportedErrorType,
  SiweDomainMismatchError,
  type SiweDomainMismatchErrorType,
  SiweExpiredError,
  type SiweExpiredErrorType,
  SiweNonceInvalidError,
  type SiweNonceInvalidErrorType,
  SiweNotYetValidError,
  type SiweNotYetValidErrorType,
} from './errors.js'
import {
  checkSiweField,
  checkSiweFields,
  describe,
  formatIssues,
  isParsed,
  toTimestamp,
} from './internal.js'
import type { SiweMessage } from './types.js'

export type ValidateSiweMessageParameters = {
  /** The message, as returned by `parseSiweMessage`. */
  message: SiweMessage
  /**
   * The domain(s) users sign in from, e.g. `'example.com'` or `'localhost:5173'`;
   * `message.domain` must equal one of them exactly. Not checked when left out.
   */
  domain?: string | readonly string[] | undefined
  /**
   * URL(s) on this site's origin(s), e.g. `'https://example.com'`. `message.uri` must have the
   * same origin as one of them: the same scheme, host and port as the WHATWG URL parser (and so
   * browsers) computes them, which lowercases the host and drops default ports, and ignores
   * userinfo, path, query and fragment. A URI without a `scheme://host` origin (`did:`, `urn:`,
   * `file:` …) matches nothing. Not checked when left out.
   */
  uri?: string | readonly string[] | undefined
  /** The chain ids this server supports; `message.chainId` must be one. Not checked when left out. */
  chainIds?: readonly number[] | undefined
  /** The nonce this server issued for this sign-in; `message.nonce` must equal it. */
  nonce?: string | undefined
  /**
   * The instant to validate at.
   * @default new Date()
   */
  time?: Date | undefined
  /**
   * Milliseconds after `issuedAt` past which the message counts as expired, even without an
   * `expirationTime`. Not checked when left out.
   */
  maxAge?: number | undefined
  /**
   * Milliseconds by which the signer's clock may run ahead of this one: `issuedAt` may be this far
   * in the future and `notBefore` this far ahead of now. `expirationTime` gets no tolerance.
   * @default 30_000
   */
  clockSkew?: number | undefined
}

export type ValidateSiweMessageReturnType = undefined

export type ValidateSiweMessageErrorType =
  | InvalidInputErrorType
  | InvalidSiweMessageErrorType
  | SiweChainUnsupportedErrorType
  | SiweDomainMismatchErrorType
  | SiweExpiredErrorType
  | SiweNonceInvalidErrorType
  | SiweNotYetValidErrorType

/**
 * Checks that a parsed Sign-In with Ethereum message is meant for this site, chain and sign-in,
 * and valid at `time`. It does not check the signature: verify that separately (e.g. with viem's
 * `verifyMessage`, which also accepts EIP-1271 and EIP-6492 contract wallets).
 *
 * Every check is skipped when its option is left out, so a server should pass `domain`, `uri`,
 * `chainIds` and `nonce`.
 *
 * @example
 * validateSiweMessage({
 *   message: parseSiweMessage(text),
 *   domain: 'example.com',
 *   uri: 'https://example.com',
 *   chainIds: [1],
 *   nonce: issuedNonce,
 *   maxAge: 10 * 60_000,
 * })
 *
 * @throws {SiweDomainMismatchError} When the domain or the URI's origin is not this site's.
 * @throws {SiweChainUnsupportedError} When the chain id is not one of `chainIds`.
 * @throws {SiweNonceInvalidError} When the nonce is not `nonce`.
 * @throws {SiweExpiredError} When `expirationTime` has passed or `issuedAt` is older than `maxAge`.
 * @throws {SiweNotYetValidError} When `notBefore` or `issuedAt` is later than `time` + `clockSkew`.
 * @throws {InvalidSiweMessageError} When `message` is not a valid message (not from `parseSiweMessage`).
 * @throws {InvalidInputError} When an option is invalid, e.g. an empty list or a domain with a scheme.
 */
export function validateSiweMessage(
  parameters: ValidateSiweMessageParameters,
): ValidateSiweMessageReturnType {
  if (typeof parameters !== 'object' || parameters === null)
    throw new InvalidInputError('Invalid validateSiweMessage parameters.', {
      issues: [{ path: 'parameters', message: `expected an object, got ${describe(parameters)}` }],
    })
  const {
    message,
    domain,
    uri,
    chainIds,
    nonce,
    time = new Date(),
    maxAge,
    clockSkew = 30_000,
  } = parameters

  const issues: InvalidInputIssue[] = []
  const domains = toList(domain, 'domain', issues)
  domains?.forEach((value, index) => {
    const problem = checkSiweField('domain', value)
    if (problem) issues.push({ path: `domain[${index}]`, message: problem })
  })
  const origins = toList(uri, 'uri', issues)?.map((value, index) => {
    const origin = originOf(value)
    if (origin === undefined)
      issues.push({
        path: `uri[${index}]`,
        message: `expected a URL with a scheme://host origin such as "https://example.com", got ${describe(value)}`,
      })
    return origin
  })
  if (chainIds !== undefined) {
    if (!Array.isArray(chainIds) || chainIds.length === 0)
      issues.push({ path: 'chainIds', message: 'expected a non-empty array of chain ids' })
    else
      chainIds.forEach((chainId: unknown, index) => {
        const problem = checkSiweField('chainId', chainId)
        if (problem) issues.push({ path: `chainIds[${index}]`, message: problem })
      })
  }
  if (nonce !== undefined) {
    const problem = checkSiweField('nonce', nonce)
    if (problem) issues.push({ path: 'nonce', message: problem })
  }
  // toString rather than instanceof, which fails for a Date from another realm.
  if (Object.prototype.toString.call(time) !== '[object Date]' || Number.isNaN(time.getTime()))
    issues.push({ path: 'time', message: `expected a valid Date, got ${describe(time)}` })
  for (const [path, value] of [
    ['maxAge', maxAge],
    ['clockSkew', clockSkew],
  ] as const)
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value < Infinity))
      issues.push({
        path,
        message: `expected a non-negative number of milliseconds, got ${describe(value)}`,
      })
  if (issues.length) throw new InvalidInputError('Invalid validateSiweMessage options.', { issues })

  // A hand-made object could hold e.g. an unparsable date, which would compare as NaN and so
  // silently pass every time check: refuse anything parseSiweMessage would not return.
  const messageIssues = isParsed(message) ? [] : checkSiweFields(message)
  if (messageIssues.length)
    throw new InvalidSiweMessageError(undefined, { details: formatIssues(messageIssues) })

  if (domains && !domains.includes(message.domain))
    throw new SiweDomainMismatchError(undefined, {
      details: `The message is for ${describe(message.domain)}; this site signs in from ${domains.map(describe).join(' or ')}.`,
    })
  if (origins) {
    const origin = originOf(message.uri)
    if (origin === undefined || !origins.includes(origin))
      throw new SiweDomainMismatchError(undefined, {
        details: `The message's URI ${describe(message.uri)} is not on this site's origin (${origins.join(' or ')}).`,
      })
  }
  if (chainIds && !chainIds.includes(message.chainId))
    throw new SiweChainUnsupportedError(undefined, {
      details: `The message is for chain ${message.chainId}; this server supports chain ${chainIds.join(' or ')}.`,
    })
  // The expected nonce stays out of the details: it is a server-side secret until used.
  if (nonce !== undefined && message.nonce !== nonce)
    throw new SiweNonceInvalidError(undefined, {
      details: 'The message does not carry the nonce this server issued for this sign-in.',
    })

  const now = time.getTime()
  const issuedAt = toTimestamp(message.issuedAt)
  if (message.expirationTime !== undefined && now >= toTimestamp(message.expirationTime))
    throw new SiweExpiredError(undefined, {
      details: `The message expired at ${describe(message.expirationTime)}; it is now ${new Date(now).toISOString()}.`,
    })
  if (maxAge !== undefined && now - issuedAt > maxAge)
    throw new SiweExpiredError(undefined, {
      details: `The message was issued at ${describe(message.issuedAt)}, more than ${maxAge / 1000} s ago (the most this server accepts); it is now ${new Date(now).toISOString()}.`,
    })
  if (message.notBefore !== undefined && now < toTimestamp(message.notBefore) - clockSkew)
    throw new SiweNotYetValidError(undefined, {
      details: `The message is valid from ${describe(message.notBefore)}; it is now ${new Date(now).toISOString()}.`,
    })
  if (issuedAt - clockSkew > now)
    throw new SiweNotYetValidError(undefined, {
      details: `The message was issued at ${describe(message.issuedAt)}, more than ${clockSkew / 1000} s after now (${new Date(now).toISOString()}); check the device clock.`,
    })
}

function toList(
  value: string | readonly string[] | undefined,
  path: string,
  issues: InvalidInputIssue[],
): readonly string[] | undefined {
  if (value === undefined) return undefined
  const list: readonly unknown[] = Array.isArray(value) ? value : [value]
  if (list.length === 0) {
    issues.push({ path, message: 'expected at least one value' })
    return undefined
  }
  if (list.some((item) => typeof item !== 'string')) {
    issues.push({ path, message: 'expected a string or an array of strings' })
    return undefined
  }
  return list as readonly string[]
}

/** The serialised origin of `uri`, or `undefined` when it has none (opaque origins). */
function originOf(uri: string): string | undefined {
  let origin: string
  try {
    origin = new URL(uri).origin
  } catch {
    return undefined
  }
  // Opaque origins all serialise to "null"; two of them are not the same origin.
  return origin === 'null' ? undefined : origin
}
