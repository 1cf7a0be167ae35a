import { InvalidInputError } from '@accesspoint/core'
import { z } from 'zod'
import { apiKeyScopes } from '../../auth/types.js'
import { upsertPass } from '../../passes/upsertPass.js'
import { router } from '../init.js'
import { sessionAuthedProcedure, sessionProcedure } from '../procedures.js'

const day = 86_400_000

const createInput = z.object({
  name: z.string().trim().min(1).max(64),
  /** The pass to bill (token id); may be left out when the wallet holds exactly one. */
  passTokenId: z
    .union([z.bigint(), z.string().regex(/^\d{1,78}$/)])
    .transform(BigInt)
    .optional(),
  scopes: z.array(z.enum(apiKeyScopes)).min(1).max(apiKeyScopes.length).optional(),
  /** Days until the key expires (1 to 3650); no expiry when left out. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
})

export const keysRouter = router({
  /** Creates an API key billed to one of the wallet's passes; the secret is returned only here. */
  create: sessionAuthedProcedure.input(createInput).mutation(async ({ ctx, input }) => {
    const { passes } = ctx.wallet
    const candidates =
      input.passTokenId === undefined
        ? passes
        : passes.filter((pass) => pass.tokenId === input.passTokenId)
    const pass = candidates[0]
    if (!pass || candidates.length > 1)
      throw new InvalidInputError(
        input.passTokenId !== undefined
          ? `This wallet does not hold pass #${input.passTokenId}.`
          : passes.length === 0
            ? 'This wallet holds no AccessPass to bill the key to.'
            : 'This wallet holds several passes: choose one with passTokenId.',
        { issues: [{ path: 'passTokenId', message: 'must be a pass the wallet holds' }] },
      )
    const { database, apiKeys } = ctx.services
    const { id: passId } = await upsertPass({
      database,
      pass: { ...pass, owner: ctx.principal.walletAddress },
    })
    const { secret, key } = await apiKeys.create({
      walletAddress: ctx.principal.walletAddress,
      name: input.name,
      scopes: input.scopes ?? apiKeyScopes,
      passId,
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * day) : null,
    })
    ctx.log.info({ wallet: ctx.principal.walletAddress, apiKeyId: key.id }, 'API key created')
    return { secret, key }
  }),

  /** The wallet's keys, newest first (never the secrets). */
  list: sessionProcedure.query(({ ctx }) => ctx.services.apiKeys.list(ctx.principal.walletAddress)),

  /** Revokes a key at once; works whatever the wallet's roles. */
  revoke: sessionProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) =>
      ctx.services.apiKeys.revoke(ctx.principal.walletAddress, input.id),
    ),
})
