import { z } from 'zod'
import { listUsage } from '../../billing/listUsage.js'
import { router } from '../init.js'
import { authedProcedure } from '../procedures.js'
import { usageInput } from './billingRouter.js'

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, { error: 'must be a 0x-prefixed 20-byte address' })
  .transform((value) => value.toLowerCase() as `0x${string}`)

const adminProcedure = authedProcedure.meta({ roles: ['admin'] })

export const adminRouter = router({
  /** Ends one session. */
  revokeSession: adminProcedure
    .input(z.object({ sessionId: z.uuid() }))
    .mutation(async ({ ctx, input }) => ({
      revoked: await ctx.services.sessions.revoke(input.sessionId, 'admin'),
    })),

  /** Ends every open session of a wallet. */
  revokeWalletSessions: adminProcedure
    .input(z.object({ address }))
    .mutation(async ({ ctx, input }) => ({
      revoked: await ctx.services.sessions.revokeWallet(input.address, 'admin'),
    })),

  /** Every wallet's requests (or one wallet's), newest first, with totals. */
  usage: adminProcedure
    .input(usageInput.extend({ address: address.optional() }))
    .query(({ ctx, input: { address, ...page } }) =>
      listUsage({ database: ctx.services.database, walletAddress: address, ...page }),
    ),

  /** Drops the cached on-chain facts of a wallet, so its next request reads the chain. */
  refreshAccess: adminProcedure.input(z.object({ address })).mutation(({ ctx, input }) => {
    ctx.services.access.invalidate(input.address)
    return { refreshed: true as const }
  }),
})
