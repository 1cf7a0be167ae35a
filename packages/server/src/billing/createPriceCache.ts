import type { Database } from '../db/createDatabase.js'
import {
  BillingUnavailableError,
  type BillingUnavailableErrorType,
  ModelPriceNotFoundError,
  type ModelPriceNotFoundErrorType,
} from './errors.js'
import { consoleLogger } from './internal.js'
import { listModelPrices } from './listModelPrices.js'
import type { BillingLogger, ModelPriceRecord } from './types.js'

export type CreatePriceCacheParameters = {
  database: Pick<Database, 'prisma'>
  /** Prices younger than this are served without a query. @default 60_000 */
  ttlMs?: number | undefined
  /**
   * Past the TTL, prices are still served (and reloaded in the background) until this age; older
   * than this and unreloadable, requests are refused rather than priced from a list that may be
   * long out of date. @default 600_000
   */
  maxStaleMs?: number | undefined
  /**
   * An unknown model reloads the list at most this often, so a model added a moment ago is found
   * without letting random model names turn every request into a query. @default 1_000
   */
  missReloadIntervalMs?: number | undefined
  logger?: BillingLogger | undefined
  /** Milliseconds since the epoch; for tests. */
  now?: (() => number) | undefined
}

export type PriceCache = {
  /** The current price of `model`. */
  get(model: string): Promise<ModelPriceRecord>
  /** Every model's current price. */
  list(): Promise<readonly ModelPriceRecord[]>
  /** Reloads now (e.g. after an admin changed a price); resolves when loaded. */
  reload(): Promise<void>
}

export type CreatePriceCacheReturnType = PriceCache

export type CreatePriceCacheErrorType = ModelPriceNotFoundErrorType | BillingUnavailableErrorType

type Snapshot = { loadedAt: number; byModel: ReadonlyMap<string, ModelPriceRecord> }

/**
 * The price list, in memory: pricing a request costs no query in steady state. Reloaded every
 * `ttlMs` in the background (stale-while-revalidate), so a changed price applies within about a
 * minute on every instance; each charge still records the exact price version it used.
 */
export function createPriceCache({
  database,
  ttlMs = 60_000,
  maxStaleMs = 600_000,
  missReloadIntervalMs = 1_000,
  logger = consoleLogger,
  now = Date.now,
}: CreatePriceCacheParameters): CreatePriceCacheReturnType {
  let snapshot: Snapshot | undefined
  let lastAttemptAt = Number.NEGATIVE_INFINITY
  let loading: Promise<Snapshot> | undefined

  // One load at a time: concurrent callers share it.
  function load(): Promise<Snapshot> {
    if (!loading) {
      lastAttemptAt = now()
      loading = listModelPrices({ database })
        .then((prices) => {
          snapshot = { loadedAt: now(), byModel: new Map(prices.map((p) => [p.model, p])) }
          return snapshot
        })
        .finally(() => {
          loading = undefined
        })
    }
    return loading
  }

  async function current(): Promise<Snapshot> {
    const age = snapshot ? now() - snapshot.loadedAt : Number.POSITIVE_INFINITY
    if (snapshot && age < ttlMs) return snapshot
    if (snapshot && age < maxStaleMs) {
      load().catch((error: unknown) =>
        logger.warn({ err: error, ageMs: age }, 'billing: reloading prices failed; serving cached'),
      )
      return snapshot
    }
    try {
      return await load()
    } catch (cause) {
      throw new BillingUnavailableError({ operation: 'load model prices', cause })
    }
  }

  return {
    async get(model) {
      let prices = await current()
      let price = prices.byModel.get(model)
      if (!price && now() - lastAttemptAt >= missReloadIntervalMs) {
        try {
          prices = await load()
        } catch (cause) {
          throw new BillingUnavailableError({ operation: 'load model prices', cause })
        }
        price = prices.byModel.get(model)
      }
      if (!price) throw new ModelPriceNotFoundError({ model })
      return price
    },
    async list() {
      return [...(await current()).byModel.values()]
    },
    async reload() {
      try {
        await load()
      } catch (cause) {
        throw new BillingUnavailableError({ operation: 'load model prices', cause })
      }
    },
  }
}
