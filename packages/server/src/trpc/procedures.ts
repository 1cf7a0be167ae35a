import { authenticateBearer } from '../auth/authenticateBearer.js'
import { checkAccess } from '../auth/checkAccess.js'
import { UnauthenticatedError } from '../auth/errors.js'
import { publicProcedure } from './init.js'

/** Needs a caller (session token or API key), resolved from an in-process cache when warm. */
export const callerProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const { sessions, apiKeys } = ctx.services
  const principal = await authenticateBearer({
    authorization: ctx.authorization,
    sessions,
    apiKeys,
  })
  return next({ ctx: { principal } })
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

/** Needs a caller whose wallet holds a role now; `meta.roles` and `meta.scope` narrow it. */
export const authedProcedure = callerProcedure.use(async ({ ctx, meta, next }) => {
  const wallet = await checkAccess({
    principal: ctx.principal,
    access: ctx.services.access,
    roles: meta?.roles,
    scope: meta?.scope,
  })
  return next({ ctx: { wallet } })
})

/** A wallet session whose wallet holds a role now. */
export const sessionAuthedProcedure = sessionProcedure.use(async ({ ctx, meta, next }) => {
  const wallet = await checkAccess({
    principal: ctx.principal,
    access: ctx.services.access,
    roles: meta?.roles,
  })
  return next({ ctx: { wallet } })
})
