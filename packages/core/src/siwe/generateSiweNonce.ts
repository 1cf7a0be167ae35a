import { InvalidInputError, type InvalidInputErrorType } from '../errors/request.js'
import { InternalError, type InternalErrorType } from '../errors/service.js'

export type GenerateSiweNonceParameters =
  | {
      /**
       * Number of characters, from 17 (the fewest that carry 96 bits) to 256.
       * @default 22 (131 bits)
       */
      length?: number | undefined
    }
  | undefined

export type GenerateSiweNonceReturnType = string

export type GenerateSiweNonceErrorType = InvalidInputErrorType | InternalErrorType

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
// The largest multiple of 62 that fits in a byte: bytes at or above it are dropped, so that
// `byte % 62` picks every character with the same probability.
const unbiasedLimit = 248
const minLength = 17
const maxLength = 256

/**
 * Generates a random nonce for a Sign-In with Ethereum message: letters and digits only, as
 * EIP-4361 requires, from the platform's cryptographically secure generator
 * (`crypto.getRandomValues`, in browsers and Node 20+). Each character carries log2(62) ≈ 5.95
 * bits, so the default 22 characters carry about 131 bits.
 *
 * @example
 * generateSiweNonce() // 'q3RjXw0TzB9mVYk2Lc7hNa'
 *
 * @throws {InvalidInputError} When `length` is not an integer from 17 to 256.
 * @throws {InternalError} When no secure random generator is available.
 */
export function generateSiweNonce({
  length = 22,
}: GenerateSiweNonceParameters = {}): GenerateSiweNonceReturnType {
  if (!Number.isInteger(length) || length < minLength || length > maxLength)
    throw new InvalidInputError('Invalid generateSiweNonce options.', {
      issues: [
        {
          path: 'length',
          message: `expected an integer from ${minLength} to ${maxLength}, got ${length}`,
        },
      ],
    })
  // Never fall back to Math.random: a guessable nonce lets signed messages be replayed.
  const crypto = globalThis.crypto
  if (typeof crypto?.getRandomValues !== 'function')
    throw new InternalError(
      'No secure random number generator (crypto.getRandomValues) is available.',
    )

  let nonce = ''
  while (nonce.length < length) {
    // A few spare bytes so that one round almost always suffices despite the dropped ones.
    for (const byte of crypto.getRandomValues(new Uint8Array(length + 8))) {
      if (byte >= unbiasedLimit) continue
      nonce += alphabet.charAt(byte % alphabet.length)
      if (nonce.length === length) break
    }
  }
  return nonce
}
