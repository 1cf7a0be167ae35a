import type { Database } from '../db/createDatabase.js'
import type { ModelPriceRecord } from './types.js'

export type ListModelPricesParameters = { database: Pick<Database, 'prisma'> }

export type ListModelPricesReturnType = ModelPriceRecord[]

export type ListModelPricesErrorType = Error

/**
 * The current price of every model: its highest version among those already in effect
 * (`effectiveFrom` ≤ the database's clock, so a price inserted for later waits for its time).
 * One query over a small table; `createPriceCache` keeps the result in memory.
 */
export async function listModelPrices({
  database,
}: ListModelPricesParameters): Promise<ListModelPricesReturnType> {
  return database.prisma.$queryRaw<ModelPriceRecord[]>`
    SELECT DISTINCT ON (model)
      id, model, provider, version,
      "inputMicroUsdPerMillionTokens",
      "cachedInputMicroUsdPerMillionTokens",
      "outputMicroUsdPerMillionTokens"
    FROM "ModelPrice"
    WHERE "effectiveFrom" <= now()
    ORDER BY model, version DESC`
}
