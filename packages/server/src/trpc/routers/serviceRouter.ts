import { publicProcedure, router } from '../init.js'

export const serviceRouter = router({
  /** The discovery document, also served at `/.well-known/accesspoint`. */
  discovery: publicProcedure.query(({ ctx }) => ctx.services.discovery),
  /** Server time: lets clients measure round trips and clock skew (SIWE expiry). */
  time: publicProcedure.query(() => ({ now: new Date() })),
})
