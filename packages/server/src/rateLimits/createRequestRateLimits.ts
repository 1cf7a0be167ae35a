import { InvalidInputError } from '@accesspoint/core'
import type { Redis } from 'ioredis'
import { LRUCache } from 'lru-cache'
import { RateLimitedError } from '../auth/errors.js'
import type { Principal } from '../auth/types.js'
import { createMemoryTokenBuckets } from './createMemoryTokenBuckets.js'
import { createRedisTokenBuckets } from './createRedisTokenBuckets.js'
import type { BucketRequest, RateLimitRule, RateLimitStatus } from './types.js'

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
   * Buckets are kept in Redis, shared by every instance and exact across them. While Redis is
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
   * Refuses at once, with no I/O, a request from an IP this instance saw refused and whose bucket
   * has not refilled yet. The request path checks this before reading credentials, then counts
   * the IP with the caller (`consume`) or, when the credentials or roles are refused, alone.
   */
  checkIp(ip: string, into: RateLimitStatus[]): void
  /**
   * Counts one request of an authenticated caller against its IP, its wallet and, with an API
   * key, the key, in one step (one Redis call): all of them or none. Appends each status to
   * `into`, also on refusal.
   */
  consume(
    request: { ip: string; principal: Principal; roles: readonly string[] },
    into: RateLimitStatus[],
  ): Promise<void>
  /**
   * Counts one request for the caller's wallet and, with an API key, for the key (both or
   * neither); `roles` (the wallet's, checked) pick the rule. Appends each limit's status to
   * `into`, also on refusal.
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
 * Request rate limits per IP, per wallet and per API key, with per-role rules: token buckets
 * (see {@link RateLimitRule}). With Redis the buckets are shared by every instance and exact
 * across them (one atomic script call per check), with per-instance buckets as insurance while
 * Redis is down.
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

  const memory = createMemoryTokenBuckets()
  // IPs refused a moment ago, until their bucket has a token again: refused without a Redis call
  // or a credential lookup (a flood from one address costs nothing more once it is over).
  const refusedIps = new LRUCache<string, { retryAt: number; resetAt: number }>({ max: 10_000 })
  const buckets = redis
    ? createRedisTokenBuckets({
        client: redis.client,
        keyPrefix: redis.keyPrefix,
        fallback: memory,
      })
    : memory

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

  async function take(
    requests: readonly (BucketRequest & { what: string })[],
    into: RateLimitStatus[],
  ) {
    const outcomes = await buckets.take(requests)
    let refused: (typeof requests)[number] | undefined
    let retryAfterMs = 0
    let ipResetMs = 0
    outcomes.forEach((outcome, index) => {
      const request = requests[index] as (typeof requests)[number]
      into.push({
        limit: request.rule.points,
        remaining: outcome.remaining,
        resetSeconds: Math.max(1, Math.ceil(outcome.resetMs / 1000)),
      })
      if (!outcome.allowed) {
        if (request.key.startsWith('ip:')) ipResetMs = outcome.resetMs
        refused ??= request
        retryAfterMs = Math.max(retryAfterMs, outcome.retryAfterMs)
      }
    })
    if (refused?.key.startsWith('ip:')) {
      const now = Date.now()
      refusedIps.set(refused.key.slice(3), {
        retryAt: now + Math.max(retryAfterMs, 1),
        resetAt: now + ipResetMs,
      })
    }
    if (refused)
      throw new RateLimitedError(
        `Too many requests ${refused.what}: the limit is ${refused.rule.points} per ${refused.rule.windowSeconds} s.`,
        // Retry-After is whole seconds; a bucket refills sooner, so round up, never to 0.
        { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
      )
  }

  const ipBucket = (ip: string) => ({
    key: `ip:${ip}`,
    rule: perIp,
    what: 'from this IP address',
  })

  // The key and its wallet are taken together: a bot over its key's limit spends none of its
  // wallet's budget, and a wallet over its limit spends none of the key's.
  function callerBuckets({ principal, roles }: { principal: Principal; roles: readonly string[] }) {
    const roleRule = ruleFor(roles)
    const wallet = {
      key: `wallet:${principal.walletAddress.toLowerCase()}`,
      rule: roleRule ?? perWallet,
      what: 'for this wallet',
    }
    return principal.kind === 'apiKey'
      ? [
          {
            key: `key:${principal.apiKeyId}`,
            rule: roleRule ?? perApiKey,
            what: 'with this API key',
          },
          wallet,
        ]
      : [wallet]
  }

  return {
    consumeIp: (ip, into) => take([ipBucket(ip)], into),
    checkIp(ip, into) {
      const refused = refusedIps.get(ip)
      if (refused === undefined) return
      const now = Date.now()
      if (refused.retryAt <= now) {
        refusedIps.delete(ip)
        return
      }
      into.push({
        limit: perIp.points,
        remaining: 0,
        resetSeconds: Math.max(1, Math.ceil((refused.resetAt - now) / 1000)),
      })
      throw new RateLimitedError(
        `Too many requests from this IP address: the limit is ${perIp.points} per ${perIp.windowSeconds} s.`,
        { retryAfterSeconds: Math.max(1, Math.ceil((refused.retryAt - now) / 1000)) },
      )
    },
    consume: ({ ip, ...caller }, into) => take([ipBucket(ip), ...callerBuckets(caller)], into),
    consumeCaller: (caller, into) => take(callerBuckets(caller), into),
  }
}
