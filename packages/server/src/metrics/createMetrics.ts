import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import type { AccessResolver } from '../access/createAccessResolver.js'
import type { LedgerWriter } from '../billing/createLedgerWriter.js'

export type Metrics = {
  registry: Registry
  /** Holds released without a charge because they outlived their TTL (a crash, a stuck request). */
  holdsRecovered: Counter
  holdsRecoveredMicroUsd: Counter
}

export type CreateMetricsParameters = {
  ledger: Pick<LedgerWriter, 'stats'>
  access: Pick<AccessResolver, 'stats'>
}

export type CreateMetricsReturnType = Metrics

/**
 * The server's Prometheus metrics (prom-client), served at `/metrics`. Counters kept by the
 * ledger writer and the access cache are read when scraped, so the hot path only bumps integers.
 */
export function createMetrics({
  ledger,
  access,
}: CreateMetricsParameters): CreateMetricsReturnType {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'accesspoint_' })

  const ledgerGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name: `accesspoint_ledger_${name}`,
      help,
      registers: [registry],
      collect() {
        this.set(read())
      },
    })
  ledgerGauge(
    'batches',
    'Committed ledger batch transactions (group commit).',
    () => ledger.stats().batches,
  )
  ledgerGauge(
    'failed_attempts',
    'Ledger batches that failed and were retried.',
    () => ledger.stats().failedAttempts,
  )
  ledgerGauge('captured', 'Holds turned into charges.', () => ledger.stats().captured)
  ledgerGauge('released', 'Holds released without a charge.', () => ledger.stats().released)
  ledgerGauge('capped', 'Charges cut down to their hold.', () => ledger.stats().capped)
  ledgerGauge(
    'queued',
    'Captures and releases waiting for a batch now.',
    () => ledger.stats().queued,
  )

  const accessGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name: `accesspoint_access_${name}`,
      help,
      registers: [registry],
      collect() {
        this.set(read())
      },
    })
  accessGauge('cache_hits', 'On-chain access lookups served from cache.', () => access.stats().hits)
  accessGauge(
    'cache_misses',
    'On-chain access lookups that read the chain.',
    () => access.stats().misses,
  )

  return {
    registry,
    holdsRecovered: new Counter({
      name: 'accesspoint_holds_recovered_total',
      help: 'Holds released without a charge because they outlived their TTL (crash recovery).',
      registers: [registry],
    }),
    holdsRecoveredMicroUsd: new Counter({
      name: 'accesspoint_holds_recovered_micro_usd_total',
      help: 'Worst-case amount of the holds released by recovery, micro-USD.',
      registers: [registry],
    }),
  }
}
