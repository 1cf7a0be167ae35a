import { router } from '../init.js'
import { authedProcedure } from '../procedures.js'

export const accessRouter = router({
  /** Who the caller is: address, roles, passes with their on-chain credit, and when access ends. */
  me: authedProcedure.meta({ scope: 'read' }).query(({ ctx }) => {
    const { principal, wallet } = ctx
    return {
      address: principal.walletAddress,
      roles: wallet.roles,
      passes: wallet.passes,
      session:
        principal.kind === 'session'
          ? { id: principal.sessionId, chainId: principal.chainId, expiresAt: principal.expiresAt }
          : null,
      apiKey:
        principal.kind === 'apiKey'
          ? {
              id: principal.apiKeyId,
              scopes: [...principal.scopes],
              pass: principal.pass,
              expiresAt: principal.expiresAt,
            }
          : null,
    }
  }),
})
