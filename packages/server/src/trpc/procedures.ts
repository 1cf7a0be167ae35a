import { admitCaller } from '../auth/admitCaller.js'
import { authenticateBearer } from '../auth/authenticateBearer.js'
import { checkAccess } from '../auth/checkAccess.js'
import { UnauthenticatedError } from '../auth/errors.js'
import { describeAccess } from '../tracing/describeAccess.js'
import { describeCaller } from '../tracing/describeCaller.js'
import { withSpan } from '../tracing/withSpan.js'
import { publicProcedure } from './init.js'

/**
 * Needs a caller (session token or API key), resolved from an in-process cache when warm. The
 * request counts against its IP's rate limit first, so bad credentials are limited too.
 */
export const callerProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const { sessions, apiKeys, requestLimits } = ctx.services
  await requestLimits.consumeIp(ctx.ip, ctx.rateLimits)
  const principal = await withSpan(
    ctx.scope.trace,
    'accesspoint.auth',
    authenticateBearer,
    { authorization: ctx.authorization, sessions, apiKeys },
    describeCaller,
  )
  // From here every log line of the request names the caller; an API key also names its pass.
  const log = ctx.scope.bindLog({
    wallet: principal.walletAddress,
    ...(principal.kind === 'apiKey' && principal.pass
      ? { passTokenId: String(principal.pass.tokenId) }
      : {}),
  })
  return next({ ctx: { principal, log } })
})

/** Needs a wallet session: managing keys and sessions takes a signature, not an API key. */
export const sessionProcedure = callerProcedure.use(async ({ ctx, next }) => {
  const { principal } = ctx
  if (principal.kind !== 'session')
    throw new UnauthenticatedError('This needs a wallet session; API keys cannot do it.', {
      details: 'Sign in with your wallet (SIWE) and send the session token.',
    })
  return next({ ctx: { principal } })
})

/**
 * Needs a caller whose wallet holds a role now; `meta.roles` and `meta.scope` narrow it. Counts
 * against the IP's, wallet's (and API key's) rate limits, whose rule depends on those roles, in
 * one step (`admitCaller`).
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, meta, next }) => {
  const { principal, wallet, log } = await admitCaller({
    services: ctx.services,
    scope: ctx.scope,
    ip: ctx.ip,
    authorization: ctx.authorization,
    roles: meta?.roles,
    keyScope: meta?.scope,
    rateLimits: ctx.rateLimits,
  })
  return next({ ctx: { principal, log, wallet } })
})

/** A wallet session whose wallet holds a role now; rate-limited like `authedProcedure`. */
export const sessionAuthedProcedure = sessionProcedure.use(async ({ ctx, meta, next }) => {
  const wallet = await withSpan(
    ctx.scope.trace,
    'accesspoint.roles',
    checkAccess,
    { principal: ctx.principal, access: ctx.services.access, roles: meta?.roles },
    describeAccess,
  )
  await ctx.services.requestLimits.consumeCaller(
    { principal: ctx.principal, roles: wallet.roles },
    ctx.rateLimits,
  )
  return next({ ctx: { wallet } })
})
