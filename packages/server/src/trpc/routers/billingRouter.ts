import { z } from 'zod'
import { getBalance } from '../../billing/getBalance.js'
import { getSpendHistory, maxSpendHistoryBuckets } from '../../billing/getSpendHistory.js'
import { listUsage } from '../../billing/listUsage.js'
import { router } from '../init.js'
import { authedProcedure } from '../procedures.js'

export const usageInput = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
})

// Every field has a default, so the input itself may be left out; `prefault` parses `{}` so
// those defaults apply (`default` would hand `{}` through as it is).
export const spendHistoryInput = z
  .object({
    bucket: z.enum(['hour', 'day']).default('day'),
    count: z.number().int().min(1).max(maxSpendHistoryBuckets).default(30),
  })
  .prefault({})

export const billingRouter = router({
  /**
   * Each of the wallet's passes: on-chain credit, charges not settled yet, open holds, and what is
   * available for new requests (credit − pending − held).
   */
  balance: authedProcedure.meta({ scope: 'read' }).query(async ({ ctx }) => {
    const { database, passes } = ctx.services
    return Promise.all(
      ctx.wallet.passes.map(async (pass) => {
        const passId = await passes.idOf({ ...pass, owner: ctx.wallet.address })
        return {
          chainId: pass.chainId,
          contract: pass.contract,
          tokenId: pass.tokenId,
          ...(await getBalance({ database, passId, creditMicroUsd: pass.creditMicroUsd })),
        }
      }),
    )
  }),

  /** The wallet's requests, newest first, with totals; pass `nextCursor` back for the next page. */
  usage: authedProcedure
    .meta({ scope: 'read' })
    .input(usageInput)
    .query(({ ctx, input }) =>
      listUsage({
        database: ctx.services.database,
        walletAddress: ctx.principal.walletAddress,
        ...input,
      }),
    ),

  /**
   * The wallet's charges per UTC hour or day, oldest first, ending with the current bucket;
   * buckets without charges are there with zeros, ready to chart.
   */
  spendHistory: authedProcedure
    .meta({ scope: 'read' })
    .input(spendHistoryInput)
    .query(({ ctx, input }) =>
      getSpendHistory({
        database: ctx.services.database,
        walletAddress: ctx.principal.walletAddress,
        ...input,
      }),
    ),
})
