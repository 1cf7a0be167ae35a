import { InvalidInputError } from '@accesspoint/core'
import type { Redis } from 'ioredis'
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible'
import { RateLimitedError } from '../auth/errors.js'
import type { Principal } from '../auth/types.js'
import type { RateLimitRule, RateLimitStatus } from './types.js'

export type { RateLimitRule, RateLimitStatus } from './types.js'

export type CreateRequestRateLimitsParameters = {
  /** Every request to an authenticated procedure or `/v1` route from one IP, before authentication. Default 24000/min. */
  perIp?: RateLimitRule | undefined
  /** Every request of one wallet, whether with a session or any of its API keys. Default 12000/min. */
  perWallet?: RateLimitRule | undefined
  /** Every request with one API key (also counted for its wallet). Default 6000/min. */
  perApiKey?: RateLimitRule | undefined
  /**
   * Role name → the rule for wallets holding it, replacing both `perWallet` and `perApiKey`. A
   * wallet with several such roles gets the most generous one (highest rate). Default: none.
   */
  byRole?: Readonly<Record<string, RateLimitRule>> | undefined
}

export type RequestRateLimitsStore = {
  /**
   * Counts are kept in Redis, shared by every instance and exact across them. While Redis is
   * unreachable each instance counts on its own (the same limits, per instance) until it is
   * back: degraded, never unlimited.
   */
  redis?: { client: Redis; keyPrefix: string } | undefined
}

export type RequestRateLimits = {
  /**
   * Counts one request from `ip`, before its credentials are read so that guessing them counts
   * too. Appends the limit's status to `into`, also when it throws `RateLimitedError`.
   */
  consumeIp(ip: string, into: RateLimitStatus[]): Promise<void>
  /**
   * Counts one request for the caller's wallet and, with an API key, for the key; `roles` (the
   * wallet's, checked) pick the rule. Appends each limit's status to `into`, also on refusal.
   */
  consumeCaller(
    caller: { principal: Principal; roles: readonly string[] },
    into: RateLimitStatus[],
  ): Promise<void>
}

export type CreateRequestRateLimitsReturnType = RequestRateLimits

export const defaultRequestRateLimits = {
  // Generous: a NAT or office can put many users behind one address; this is a flood guard.
  perIp: { points: 24_000, windowSeconds: 60 },
  // 200 requests a second, sustained, for everything a wallet does: high-frequency bots are
  // first-class users (`pnpm bot` alone runs ~40/s against the dev provider); this stops floods.
  perWallet: { points: 12_000, windowSeconds: 60 },
  // One runaway bot cannot use up its wallet's whole budget.
  perApiKey: { points: 6_000, windowSeconds: 60 },
} as const satisfies Required<Omit<CreateRequestRateLimitsParameters, 'byRole'>>

/**
 * Request rate limits per IP, per wallet and per API key, with per-role rules. Fixed windows (
 * rate-limiter-flexible); with Redis the counters are shared by every instance (one atomic
 * increment per request, so exact across instances) with a per-instance memory limiter as
 * insurance while Redis is down.
 */
export function createRequestRateLimits(
  {
    perIp = defaultRequestRateLimits.perIp,
    perWallet = defaultRequestRateLimits.perWallet,
    perApiKey = defaultRequestRateLimits.perApiKey,
    byRole = {},
  }: CreateRequestRateLimitsParameters = {},
  { redis }: RequestRateLimitsStore = {},
): CreateRequestRateLimitsReturnType {
  for (const [name, rule] of [
    ['perIp', perIp],
    ['perWallet', perWallet],
    ['perApiKey', perApiKey],
    ...Object.entries(byRole).map(([role, rule]) => [`byRole.${role}`, rule] as const),
  ] as const)
    if (
      !Number.isSafeInteger(rule.points) ||
      rule.points < 1 ||
      !Number.isSafeInteger(rule.windowSeconds) ||
      rule.windowSeconds < 1
    )
      throw new InvalidInputError(
        `rateLimits.${name} needs whole points and windowSeconds of at least 1, got ${rule.points}/${rule.windowSeconds}.`,
        { issues: [{ path: `rateLimits.${name}`, message: 'not a positive whole number' }] },
      )

  // One limiter per kind and rule: roles can give different wallets different rules. The
  // Redis key names the window, not the points, so a wallet whose role changes keeps its count.
  const limiters = new Map<string, RateLimiterAbstract>()
  const limiterFor = (kind: string, rule: RateLimitRule): RateLimiterAbstract => {
    const id = `${kind}:${rule.points}:${rule.windowSeconds}`
    let limiter = limiters.get(id)
    if (limiter) return limiter
    const keyPrefix = `rl-${kind}-${rule.windowSeconds}s`
    const memory = new RateLimiterMemory({
      keyPrefix,
      points: rule.points,
      duration: rule.windowSeconds,
    })
    limiter = redis
      ? new RateLimiterRedis({
          storeClient: redis.client,
          keyPrefix: `${redis.keyPrefix}${keyPrefix}`,
          points: rule.points,
          duration: rule.windowSeconds,
          // Redis down: count in memory at once rather than wait for it.
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        })
      : memory
    limiters.set(id, limiter)
    return limiter
  }

  // The highest rate (points per second) among the wallet's roles that have a rule.
  const ruleFor = (roles: readonly string[]): RateLimitRule | undefined => {
    let best: RateLimitRule | undefined
    for (const role of roles) {
      const rule = Object.hasOwn(byRole, role) ? byRole[role] : undefined
      if (rule && (!best || rule.points / rule.windowSeconds > best.points / best.windowSeconds))
        best = rule
    }
    return best
  }

  async function consume(
    kind: string,
    rule: RateLimitRule,
    key: string,
    into: RateLimitStatus[],
    what: string,
  ) {
    const status = (result: RateLimiterRes): RateLimitStatus => ({
      limit: rule.points,
      remaining: Math.max(0, result.remainingPoints),
      resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
    })
    try {
      into.push(status(await limiterFor(kind, rule).consume(key)))
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result
      into.push(status(result))
      // Until every limit this request used up has reset: retrying sooner would only be refused
      // by another one (a key spent by this very request, say).
      const retryAfterSeconds = Math.max(
        ...into.filter((counted) => counted.remaining === 0).map((counted) => counted.resetSeconds),
      )
      throw new RateLimitedError(
        `Too many requests ${what}: the limit is ${rule.points} per ${rule.windowSeconds} s.`,
        { retryAfterSeconds },
      )
    }
  }

  return {
    consumeIp: (ip, into) => consume('ip', perIp, ip, into, 'from this IP address'),
    async consumeCaller({ principal, roles }, into) {
      const roleRule = ruleFor(roles)
      // The key first: a bot over its own limit does not use up its wallet's budget.
      if (principal.kind === 'apiKey')
        await consume('key', roleRule ?? perApiKey, principal.apiKeyId, into, 'with this API key')
      await consume(
        'wallet',
        roleRule ?? perWallet,
        principal.walletAddress.toLowerCase(),
        into,
        'for this wallet',
      )
    },
  }
}
