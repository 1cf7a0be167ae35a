import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { RateLimitedError } from './errors.js'

export type RateLimitRule = {
  /** Attempts allowed per window. */
  points: number
  windowSeconds: number
}

export type CreateSignInRateLimitsParameters = {
  perIp?: RateLimitRule | undefined
  perAddress?: RateLimitRule | undefined
}

export type SignInRateLimits = {
  /**
   * Counts one nonce request or sign-in attempt from `ip` (a sign-in is two: nonce, then
   * signIn); throws `RateLimitedError` over the limit.
   */
  consumeIp(ip: string): Promise<void>
  /** Counts one sign-in attempt for `address` (lower-cased), whatever IP it comes from. */
  consumeAddress(address: string): Promise<void>
}

export type CreateSignInRateLimitsReturnType = SignInRateLimits

/**
 * Sign-in rate limits per IP and per address, so a nonce cannot be farmed and one wallet's
 * sign-in cannot be hammered from many IPs. rate-limiter-flexible has drop-in Redis limiters
 * with the same interface for when several instances must share the counts.
 */
export function createSignInRateLimits({
  perIp = { points: 60, windowSeconds: 60 },
  perAddress = { points: 10, windowSeconds: 60 },
}: CreateSignInRateLimitsParameters = {}): CreateSignInRateLimitsReturnType {
  const ipLimiter = new RateLimiterMemory({
    keyPrefix: 'signin-ip',
    points: perIp.points,
    duration: perIp.windowSeconds,
  })
  const addressLimiter = new RateLimiterMemory({
    keyPrefix: 'signin-address',
    points: perAddress.points,
    duration: perAddress.windowSeconds,
  })

  async function consume(limiter: RateLimiterMemory, key: string, what: string) {
    try {
      await limiter.consume(key)
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result
      const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000))
      throw new RateLimitedError(
        `Too many sign-in attempts ${what}. Wait ${retryAfterSeconds} s and try again.`,
        { retryAfterSeconds },
      )
    }
  }

  return {
    consumeIp: (ip) => consume(ipLimiter, ip, 'from this address'),
    consumeAddress: (address) => consume(addressLimiter, address.toLowerCase(), 'for this wallet'),
  }
}
