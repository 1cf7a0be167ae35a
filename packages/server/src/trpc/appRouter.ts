import { router } from './init.js'
import { serviceRouter } from './routers/serviceRouter.js'

/** The whole tRPC API. Clients import this type only (`import type { AppRouter }`). */
export const appRouter = router({
  service: serviceRouter,
})

export type AppRouter = typeof appRouter
