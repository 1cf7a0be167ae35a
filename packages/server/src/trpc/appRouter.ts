import { router } from './init.js'
import { accessRouter } from './routers/accessRouter.js'
import { adminRouter } from './routers/adminRouter.js'
import { aiRouter } from './routers/aiRouter.js'
import { authRouter } from './routers/authRouter.js'
import { billingRouter } from './routers/billingRouter.js'
import { keysRouter } from './routers/keysRouter.js'
import { serviceRouter } from './routers/serviceRouter.js'

/** The whole tRPC API. Clients import this type only (`import type { AppRouter }`). */
export const appRouter = router({
  service: serviceRouter,
  auth: authRouter,
  access: accessRouter,
  keys: keysRouter,
  ai: aiRouter,
  billing: billingRouter,
  admin: adminRouter,
})

export type AppRouter = typeof appRouter
