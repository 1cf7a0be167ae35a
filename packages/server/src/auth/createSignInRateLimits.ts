import type { Redis } from 'ioredis'
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible'
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

export type SignInRateLimitsStore = {
  /**
   * Counts are kept in Redis, shared by every instance. While Redis is unreachable each instance
   * counts on its own (the same limits, per instance) until it is back: degraded, never unlimited.
   */
  redis?: { client: Redis; keyPrefix: string } | undefined
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
 * sign-in cannot be hammered from many IPs. With Redis the counts are shared by every instance
 * (fixed windows, exact across instances), with a per-instance memory limiter as insurance.
 */
export function createSignInRateLimits(
  {
    perIp = { points: 60, windowSeconds: 60 },
    perAddress = { points: 10, windowSeconds: 60 },
  }: CreateSignInRateLimitsParameters = {},
  { redis }: SignInRateLimitsStore = {},
): CreateSignInRateLimitsReturnType {
  const limiter = (name: string, rule: RateLimitRule): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({
      keyPrefix: name,
      points: rule.points,
      duration: rule.windowSeconds,
    })
    if (!redis) return memory
    return new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `${redis.keyPrefix}${name}`,
      points: rule.points,
      duration: rule.windowSeconds,
      // Redis down: count in memory at once rather than wait for it.
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    })
  }
  const ipLimiter = limiter('signin-ip', perIp)
  const addressLimiter = limiter('signin-address', perAddress)

  async function consume(limiter: RateLimiterAbstract, key: string, what: string) {
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
