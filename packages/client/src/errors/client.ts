import { BaseError } from './base.js'

export type NetworkErrorType = NetworkError & { name: 'NetworkError' }

/**
 * The server could not be reached or the connection broke (DNS, refused, reset, a proxy's
 * 502 page). Retried with backoff by the client before you see it.
 */
export class NetworkError extends BaseError {
  declare readonly code: 'NETWORK_ERROR'
  constructor({ url, cause, status }: { url: string; cause?: unknown; status?: number }) {
    super(`Could not reach the AccessPoint server at ${url}.`, {
      code: 'NETWORK_ERROR',
      status,
      cause,
      docsPath: '/client/errors#network-error',
      metaMessages: ['Check the URL and your connection; the call was retried before failing.'],
      name: 'NetworkError',
    })
  }
}

export type SignerRequiredErrorType = SignerRequiredError & { name: 'SignerRequiredError' }

/** The call needs a wallet session, but the client was given no account or wallet client. */
export class SignerRequiredError extends BaseError {
  declare readonly code: 'SIGNER_REQUIRED'
  constructor({ reason }: { reason?: string } = {}) {
    super(
      reason ??
        'Signing in needs a wallet: pass `account` (a viem local account) or a connected `walletClient` to createAccessPointClient.',
      {
        code: 'SIGNER_REQUIRED',
        docsPath: '/client/errors#signer-required',
        name: 'SignerRequiredError',
      },
    )
  }
}

export type SignInRequiredErrorType = SignInRequiredError & { name: 'SignInRequiredError' }

/**
 * The call needs a wallet session and none is kept, and the client was made with
 * `autoSignIn: false`: call `signIn()` (the wallet asks once) and try again.
 */
export class SignInRequiredError extends BaseError {
  declare readonly code: 'SIGN_IN_REQUIRED'
  constructor() {
    super('Sign in first: this call needs a wallet session.', {
      code: 'SIGN_IN_REQUIRED',
      docsPath: '/client/errors#sign-in-required',
      metaMessages: ['The client does not ask the wallet by itself (autoSignIn: false).'],
      name: 'SignInRequiredError',
    })
  }
}

export type UnsupportedRuntimeErrorType = UnsupportedRuntimeError & {
  name: 'UnsupportedRuntimeError'
}

/** Something the call needs is missing from this runtime, such as `EventSource` for streams. */
export class UnsupportedRuntimeError extends BaseError {
  declare readonly code: 'UNSUPPORTED_RUNTIME'
  constructor(shortMessage: string, { cause }: { cause?: unknown } = {}) {
    super(shortMessage, {
      code: 'UNSUPPORTED_RUNTIME',
      cause,
      docsPath: '/client/errors#unsupported-runtime',
      name: 'UnsupportedRuntimeError',
    })
  }
}

export type InvalidResponseErrorType = InvalidResponseError & { name: 'InvalidResponseError' }

/** The server answered in a shape this client does not understand (a version mismatch?). */
export class InvalidResponseError extends BaseError {
  declare readonly code: 'INVALID_RESPONSE'
  constructor(shortMessage: string, { cause }: { cause?: unknown } = {}) {
    super(shortMessage, {
      code: 'INVALID_RESPONSE',
      cause,
      docsPath: '/client/errors#invalid-response',
      metaMessages: ['Make sure the client and server versions match.'],
      name: 'InvalidResponseError',
    })
  }
}
