import type { MicroUsd } from '@accesspoint/core'

/** One version of a model's price: what `placeHold` records and every charge is computed with. */
export type ModelPriceRecord = {
  id: string
  model: string
  provider: string
  version: number
  inputMicroUsdPerMillionTokens: MicroUsd
  cachedInputMicroUsdPerMillionTokens: MicroUsd
  outputMicroUsdPerMillionTokens: MicroUsd
}

/** The pino subset billing logs with (Fastify's `request.log` / `app.log` fit). */
export type BillingLogger = {
  info(object: object, message?: string): void
  warn(object: object, message?: string): void
  error(object: object, message?: string): void
}
