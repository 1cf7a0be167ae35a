import { z } from 'zod'
import { listUsage } from '../../billing/listUsage.js'
import { listSettlementBatches } from '../../settlementAdmin/listSettlementBatches.js'
import { SettlementNotConfiguredError } from '../../settlementSchedule/errors.js'
import type { Services } from '../context.js'
import { router } from '../init.js'
import { authedProcedure } from '../procedures.js'
import { usageInput } from './billingRouter.js'

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, { error: 'must be a 0x-prefixed 20-byte address' })
  .transform((value) => value.toLowerCase() as `0x${string}`)

const batchId = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, { error: 'must be a 0x-prefixed 32-byte batch id' })
  .transform((value) => value.toLowerCase() as `0x${string}`)

const adminProcedure = authedProcedure.meta({ roles: ['admin'] })

function settlementOf(services: Services) {
  if (!services.settlement) throw new SettlementNotConfiguredError()
  return services.settlement
}

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

  /** Settlement batches with their items, newest first (FAILED ones are what to retry). */
  settlements: adminProcedure
    .input(
      z
        .object({
          status: z.enum(['PENDING', 'SUBMITTED', 'CONFIRMED', 'FAILED']).optional(),
          batchId: batchId.optional(),
          cursor: z.string().max(200).optional(),
          limit: z.number().int().min(1).max(100).default(20),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) =>
      listSettlementBatches({ database: ctx.services.database, ...input }),
    ),

  /**
   * Settles now (what the schedule does every SETTLEMENT_INTERVAL), or with `dryRun` only plans:
   * per pass and in total. A CONFLICT while another run holds the settlement lock.
   */
  runSettlement: adminProcedure
    .input(z.object({ dryRun: z.boolean().default(false) }).prefault({}))
    .mutation(async ({ ctx, input }) => {
      const runner = settlementOf(ctx.services)
      ctx.log.info({ wallet: ctx.wallet.address, dryRun: input.dryRun }, 'settlement run by admin')
      return runner.runOrThrow({ dryRun: input.dryRun })
    }),

  /**
   * Resumes one PENDING, SUBMITTED (stuck) or FAILED batch now, by a settlement run: the run
   * resolves every unresolved batch first, and settles a FAILED batch's released charges again
   * under a new id. Returns the batch afterwards and the run. CONFIRMED batches are a CONFLICT.
   */
  retrySettlement: adminProcedure.input(z.object({ batchId })).mutation(async ({ ctx, input }) => {
    const runner = settlementOf(ctx.services)
    ctx.log.info(
      { wallet: ctx.wallet.address, batchId: input.batchId },
      'settlement retried by admin',
    )
    return runner.retry(input.batchId)
  }),

  /** Every discrepancy between the settlement ledger and the chain; empty when they agree. */
  reconcileSettlement: adminProcedure.query(({ ctx }) => settlementOf(ctx.services).reconcile()),

  /** Drops the cached on-chain facts of a wallet, so its next request reads the chain. */
  refreshAccess: adminProcedure.input(z.object({ address })).mutation(({ ctx, input }) => {
    ctx.services.access.invalidate(input.address)
    return { refreshed: true as const }
  }),
})
