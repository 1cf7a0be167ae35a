import { BaseError, type BaseErrorParameters } from '../errors/base.js'
import { errorCodes } from '../errors/codes.js'

export type InvalidSiweMessageErrorParameters = Omit<BaseErrorParameters, 'code' | 'name'>

export type InvalidSiweMessageErrorType = InvalidSiweMessageError & {
  name: 'InvalidSiweMessageError'
}

/**
 * A sign-in message that is not a valid EIP-4361 message, or fields that cannot make one.
 * `details` names the line or field that is wrong.
 */
export class InvalidSiweMessageError extends BaseError {
  declare readonly code: 'SIWE_INVALID_MESSAGE'

  constructor(
    shortMessage: string = errorCodes.SIWE_INVALID_MESSAGE.message,
    args: InvalidSiweMessageErrorParameters = {},
  ) {
    super(shortMessage, {
      docsPath: '/errors#siwe-invalid-message',
      ...args,
      code: 'SIWE_INVALID_MESSAGE',
      name: 'InvalidSiweMessageError',
    })
  }
}

export type SiweDomainMismatchErrorParameters = Omit<BaseErrorParameters, 'code' | 'name'>

export type SiweDomainMismatchErrorType = SiweDomainMismatchError & {
  name: 'SiweDomainMismatchError'
}

/** A sign-in message whose domain or URI belongs to another site than this one. */
export class SiweDomainMismatchError extends BaseError {
  declare readonly code: 'SIWE_DOMAIN_MISMATCH'

  constructor(
    shortMessage: string = errorCodes.SIWE_DOMAIN_MISMATCH.message,
    args: SiweDomainMismatchErrorParameters = {},
  ) {
    super(shortMessage, {
      docsPath: '/errors#siwe-domain-mismatch',
      ...args,
      code: 'SIWE_DOMAIN_MISMATCH',
      name: 'SiweDomainMismatchError',
    })
  }
}

export type SiweChainUnsupportedErrorParameters = Omit<BaseErrorParameters, 'code' | 'name'>

export type SiweChainUnsupportedErrorType = SiweChainUnsupportedError & {
  name: 'SiweChainUnsupportedError'
}

/** A sign-in message for a chain id the server is not configured for. */
export class SiweChainUnsupportedError extends BaseError {
  declare readonly code: 'SIWE_CHAIN_UNSUPPORTED'

  constructor(
    shortMessage: string = errorCodes.SIWE_CHAIN_UNSUPPORTED.message,
    args: SiweChainUnsupportedErrorParameters = {},
  ) {
    super(shortMessage, {
      docsPath: '/errors#siwe-chain-unsupported',
      ...args,
      code: 'SIWE_CHAIN_UNSUPPORTED',
      name: 'SiweChainUnsupportedError',
    })
  }
}

export type SiweNonceInvalidErrorParameters = Omit<BaseErrorParameters, 'code' | 'name'>

export type SiweNonceInvalidErrorType = SiweNonceInvalidError & { name: 'SiweNonceInvalidError' }

/** A sign-in nonce that the server did not issue, that was already used, or that expired. */
export class SiweNonceInvalidError extends BaseError {
  declare readonly code: 'SIWE_NONCE_INVALID'

  constructor(
    shortMessage: string = errorCodes.SIWE_NONCE_INVALID.message,
    args: SiweNonceInvalidErrorParameters = {},
  ) {
    super(shortMessage, {
      docsPath: '/errors#siwe-nonce-invalid',
      ...args,
      code: 'SIWE_NONCE_INVALID',
      name: 'SiweNonceInvalidError',
    })
  }
}

export type SiweExpiredErrorParameters = Omit<BaseErrorParameters, 'code' | 'name'>

export type SiweExpiredErrorType = SiweExpiredError & { name: 'SiweExpiredError' }

/** A sign-in message past its `expirationTime`, or issued longer ago than the server accepts. */
export class SiweExpiredError extends BaseError {
  declare readonly code: 'SIWE_EXPIRED'

  constructor(
    shortMessage: string = errorCodes.SIWE_EXPIRED.message,
    args: SiweExpiredErrorParameters = {},
  ) {
    super(shortMessage, {
      docsPath: '/errors#siwe-expired',
      ...args,
      code: 'SIWE_EXPIRED',
      name: 'SiweExpiredError',
    })
  }
}

export type SiweNotYetValidErrorParameters = Omit<BaseErrorParameters, 'code' | 'name'>

export type SiweNotYetValidErrorType = SiweNotYetValidError & { name: 'SiweNotYetValidError' }

/** A sign-in message before its `notBefore`, or issued in the future beyond the clock skew. */
export class SiweNotYetValidError extends BaseError {
  declare readonly code: 'SIWE_NOT_YET_VALID'

  constructor(
    shortMessage: string = errorCodes.SIWE_NOT_YET_VALID.message,
    args: SiweNotYetValidErrorParameters = {},
  ) {
    super(shortMessage, {
      docsPath: '/errors#siwe-not-yet-valid',
      ...args,
      code: 'SIWE_NOT_YET_VALID',
      name: 'SiweNotYetValidError',
    })
  }
}
