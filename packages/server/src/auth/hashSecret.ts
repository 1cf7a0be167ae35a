import { createHash } from 'node:crypto'

/**
 * sha256 of a bearer secret (session token or API key), as stored and as the cache key.
 * A plain hash is enough: secrets are 256-bit random, so there is nothing to brute-force,
 * and it keeps the per-request lookup at about a microsecond.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
