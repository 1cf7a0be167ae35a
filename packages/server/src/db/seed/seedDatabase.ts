import { parseUsd } from '@accesspoint/core'
import type { Database } from '../createDatabase.js'
import {
  defaultModelPrices,
  demoWalletAddresses,
  type ModelPriceInput,
} from './defaultModelPrices.js'

export type SeedDatabaseParameters = {
  database: Database
  prices?: readonly ModelPriceInput[] | undefined
  /** Also create the demo wallets of the dev chain. */
  demo?: boolean | undefined
}

export type SeedDatabaseReturnType = {
  /** Models whose price was inserted or changed (a new version). */
  pricesChanged: string[]
  walletsCreated: number
}

/**
 * Loads the price list and demo data. Safe to run any number of times: an unchanged price adds
 * nothing, a changed one adds the next version.
 */
export async function seedDatabase({
  database: { prisma },
  prices = defaultModelPrices,
  demo = false,
}: SeedDatabaseParameters): Promise<SeedDatabaseReturnType> {
  const pricesChanged: string[] = []
  for (const price of prices) {
    const next = {
      provider: price.provider,
      inputMicroUsdPerMillionTokens: parseUsd(price.input),
      cachedInputMicroUsdPerMillionTokens: parseUsd(price.cachedInput),
      outputMicroUsdPerMillionTokens: parseUsd(price.output),
    }
    const current = await prisma.modelPrice.findFirst({
      where: { model: price.model },
      orderBy: { version: 'desc' },
    })
    const unchanged =
      current !== null &&
      current.provider === next.provider &&
      current.inputMicroUsdPerMillionTokens === next.inputMicroUsdPerMillionTokens &&
      current.cachedInputMicroUsdPerMillionTokens === next.cachedInputMicroUsdPerMillionTokens &&
      current.outputMicroUsdPerMillionTokens === next.outputMicroUsdPerMillionTokens
    if (unchanged) continue
    await prisma.modelPrice.create({
      data: { model: price.model, version: (current?.version ?? 0) + 1, ...next },
    })
    pricesChanged.push(price.model)
  }

  let walletsCreated = 0
  if (demo) {
    const { count } = await prisma.wallet.createMany({
      data: demoWalletAddresses.map((address) => ({ address })),
      skipDuplicates: true,
    })
    walletsCreated = count
  }
  return { pricesChanged, walletsCreated }
}
