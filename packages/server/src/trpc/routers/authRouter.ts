import { z } from 'zod'
import { issueNonce } from '../../auth/issueNonce.js'
import { signIn } from '../../auth/signIn.js'
import { publicProcedure, router } from '../init.js'
import { sessionProcedure } from '../procedures.js'

// Generous bounds: the SIWE parser refuses long messages with its own, clearer error.
const signInInput = z.object({
  message: z.string().min(1).max(65_536),
  signature: z
    .string()
    .max(32_768)
    .regex(/^0x(?:[0-9a-fA-F]{2})+$/, { error: 'must be a 0x-prefixed hex signature' })
    .transform((value) => value as `0x${string}`),
})

// The address is on the message's second line; read it before the full parse, so a flood of
// attempts for one wallet is limited however malformed the rest is.
function addressOf(message: string): string | undefined {
  return /^0x[0-9a-fA-F]{40}$/.exec(message.split('\n', 3)[1] ?? '')?.[0]
}

export const authRouter = router({
  /**
   * A single-use SIWE nonce (5 minutes), plus what the message must name to be accepted: the
   * domain and URI to use (and every accepted one) and the chains.
   */
  nonce: publicProcedure.mutation(async ({ ctx }) => {
    const { database, signInLimits, siwe } = ctx.services
    await signInLimits.consumeIp(ctx.ip)
    const { nonce, expiresAt } = await issueNonce({ database, ttlMs: siwe.nonceTtlMs })
    return {
      nonce,
      expiresAt,
      domain: siwe.domain,
      uri: siwe.uri,
      domains: [...siwe.domains],
      uris: [...siwe.uris],
      chainIds: [...siwe.chainIds],
    }
  }),

  /** Exchanges a signed EIP-4361 message for a session token (one signature per session). */
  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const { signInLimits } = ctx.services
    await signInLimits.consumeIp(ctx.ip)
    const address = addressOf(input.message)
    if (address) await signInLimits.consumeAddress(address)
    const result = await signIn({
      ...ctx.services,
      message: input.message,
      signature: input.signature,
      userAgent: ctx.userAgent,
      ipAddress: ctx.ip,
    })
    ctx.log.info({ wallet: result.session.address, sessionId: result.session.id }, 'signed in')
    return {
      token: result.token,
      session: result.session,
      roles: result.access.roles,
    }
  }),

  /** The current session (without roles: `access.me` has those, and needs the chain). */
  session: sessionProcedure.query(({ ctx }) => {
    const { sessionId, walletAddress, chainId, expiresAt } = ctx.principal
    return { id: sessionId, address: walletAddress, chainId, expiresAt }
  }),

  /** Ends the current session; its token stops working at once. Works whatever the roles. */
  signOut: sessionProcedure.mutation(async ({ ctx }) => {
    await ctx.services.sessions.revoke(ctx.principal.sessionId, 'sign-out')
    return { signedOut: true as const }
  }),
})
