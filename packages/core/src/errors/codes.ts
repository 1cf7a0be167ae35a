/**
 * Every stable error code, with the HTTP status it maps to and a default message a person can
 * act on. Codes are part of the public API: clients branch on them, so never rename or remove
 * one, and never change a status in a way that changes its class (4xx vs 5xx).
 */
export const errorCodes = {
  INVALID_INPUT: {
    status: 400,
    message: 'The request is invalid. Correct it and send it again.',
  },
  UNAUTHENTICATED: {
    status: 401,
    message: 'You are not signed in. Sign in with your wallet and try again.',
  },
  SESSION_EXPIRED: {
    status: 401,
    message: 'Your session has expired. Sign in with your wallet again.',
  },
  INVALID_SIGNATURE: {
    status: 401,
    message: 'The signature could not be verified. Sign the message again with the same wallet.',
  },
  // Sign-In with Ethereum: one code per thing the user can fix differently.
  SIWE_INVALID_MESSAGE: {
    status: 400,
    message:
      'The sign-in message is not a valid EIP-4361 message. Build it with a SIWE library and sign it again.',
  },
  SIWE_DOMAIN_MISMATCH: {
    status: 401,
    message:
      'The sign-in message was made for another site (domain or URI). Sign in again from this site.',
  },
  SIWE_CHAIN_UNSUPPORTED: {
    status: 400,
    message: 'The sign-in message names a chain this server does not support. Switch chains.',
  },
  SIWE_NONCE_INVALID: {
    status: 401,
    message:
      'The sign-in nonce is unknown, already used or expired. Request a new nonce and sign again.',
  },
  SIWE_EXPIRED: {
    status: 401,
    message: 'The sign-in message has expired or was issued too long ago. Sign a new message.',
  },
  SIWE_NOT_YET_VALID: {
    status: 401,
    message:
      'The sign-in message is not valid yet (issued in the future or before its notBefore). Check your clock and sign again.',
  },
  INVALID_API_KEY: {
    status: 401,
    message: 'The API key is invalid or has been revoked. Check the key or create a new one.',
  },
  INSUFFICIENT_BALANCE: {
    status: 402,
    message: 'Your balance is too low for this request. Add funds and try again.',
  },
  // Access is suspended after a settlement shortfall, until the outstanding amount is paid.
  PAYMENT_FAILED: {
    status: 402,
    message:
      'Your access is suspended because a payment could not be settled. Add funds to settle it.',
  },
  FORBIDDEN_ROLE: {
    status: 403,
    message: 'Your wallet does not hold a role that allows this. Use a wallet that holds one.',
  },
  NOT_FOUND: {
    status: 404,
    message: 'The requested resource does not exist. Check the path and identifier.',
  },
  MODEL_NOT_FOUND: {
    status: 404,
    message: 'The requested model is not available. List the models and choose one of them.',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: 'This endpoint does not accept that HTTP method. Check the API reference.',
  },
  // For example a request id reused with a different body.
  CONFLICT: {
    status: 409,
    message: 'The request conflicts with an earlier one. Use a new request id for a new request.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'The request body is too large. Send a smaller request.',
  },
  // The worst-case cost stays above the per-request cap even after clamping max_tokens.
  COST_CAP_EXCEEDED: {
    status: 422,
    message: 'The worst-case cost of this request is above the per-request cap. Shorten the input.',
  },
  RATE_LIMITED: {
    status: 429,
    message: 'Too many requests. Wait a moment and try again.',
  },
  INTERNAL: {
    status: 500,
    message: 'Something went wrong on our side. Try again; if it persists, contact support.',
  },
  PROVIDER_ERROR: {
    status: 502,
    message: 'The model provider returned an error. Try again or choose another model.',
  },
  PROVIDER_UNAVAILABLE: {
    status: 503,
    message: 'The model provider is temporarily unavailable. Try again shortly.',
  },
  // Access cannot be decided (database, RPC or cache down), so the request is refused rather
  // than let through: fail closed.
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: 'The service cannot check your access right now. Try again shortly.',
  },
  // On-chain facts (roles, ownership) are stale and the RPC cannot be reached: fail closed.
  CHAIN_UNAVAILABLE: {
    status: 503,
    message: 'Your on-chain access cannot be checked right now. Try again shortly.',
  },
  TIMEOUT: {
    status: 504,
    message: 'The request took too long. Try again, or ask for a shorter response.',
  },
} as const satisfies Record<string, { status: number; message: string }>

/** A stable, machine-readable error code. */
export type ErrorCode = keyof typeof errorCodes

/** An HTTP status that some {@link ErrorCode} maps to. */
export type ErrorStatus = (typeof errorCodes)[ErrorCode]['status']

/** Whether `value` is one of the {@link errorCodes}, e.g. to trust a code read from a response. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value)
}
