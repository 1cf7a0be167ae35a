import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { AccessResolver } from '../access/createAccessResolver.js'
import type { LedgerWriter } from '../billing/createLedgerWriter.js'
import type { Database } from '../db/createDatabase.js'
import type { ProviderRegistry } from '../providers/createProviderRegistry.js'
import type { ProviderBreakerState } from '../providers/withResilience.js'

export type Metrics = {
  registry: Registry
  http: {
    /** Whole handling time (for streams: until the stream ends) by route pattern or tRPC procedure. */
    requestDuration: Histogram<'route' | 'method' | 'status_class'>
  }
  /** Admissions: admitted, insufficient_balance, cost_cap, payment_failed, error. */
  holds: Counter<'outcome'>
  holdBatches: {
    /** Holds per admission batch statement. */
    size: Histogram
    /** How long an admission batch statement took to commit. */
    duration: Histogram
  }
  ledger: {
    /** Captures and releases per committed batch transaction. */
    batchSize: Histogram
    /** How long a batch transaction took to commit. */
    commitDuration: Histogram
  }
  provider: {
    /** From the call to the provider's final event or failure; outcome ok, error or aborted. */
    requestDuration: Histogram<'provider' | 'model' | 'outcome'>
    timeToFirstToken: Histogram<'provider' | 'model'>
    errors: Counter<'provider' | 'code'>
  }
  /** Open SSE responses: tRPC subscriptions and `/v1` streaming completions. */
  sseStreamsActive: Gauge
  /** Holds released without a charge because they outlived their TTL (a crash, a stuck request). */
  holdsRecovered: Counter
  holdsRecoveredMicroUsd: Counter
  settlement: {
    /** Micro-USD the chain actually deducted (what the creator was paid). */
    deductedMicroUsd: Counter
    /** Micro-USD asked of passes that could not pay (their debt). */
    shortfallMicroUsd: Counter
    /** Settlement transactions by final status: CONFIRMED or FAILED. */
    batches: Counter<'status'>
    /** Passes per settlement transaction. */
    batchSize: Histogram
    /** `run`: a run failed; `batch_retry` / `rpc_retry`: a batch or RPC call was retried. */
    failures: Counter<'kind'>
    /** When a settlement run last finished without error (Unix seconds). */
    lastSuccess: Gauge
  }
}

export type CreateMetricsParameters = {
  ledger: Pick<LedgerWriter, 'stats'>
  access: Pick<AccessResolver, 'stats'>
  /** For the age of the oldest unsettled charge, read when scraped. */
  database?: Pick<Database, 'prisma'> | undefined
  /** For the circuit breakers' states, read when scraped. */
  providers?: Pick<ProviderRegistry, 'providers'> | undefined
  /** The session and API-key caches, read when scraped. */
  auth?:
    | {
        sessions: { stats(): { hits: number; misses: number } }
        apiKeys: { stats(): { hits: number; misses: number } }
      }
    | undefined
}

export type CreateMetricsReturnType = Metrics

/**
 * The server's Prometheus metrics (prom-client), served at `/metrics`. Counters kept by the
 * ledger writer and the access cache are read when scraped, so the hot path only bumps integers.
 */
export function createMetrics({
  ledger,
  access,
  database,
  providers,
  auth,
}: CreateMetricsParameters): CreateMetricsReturnType {
  // A registry per server: tests (and embedders) run several in one process, and prom-client
  // refuses a metric name registered twice in one registry. The default metrics (CPU, memory,
  // event-loop lag, GC) then appear on each server's /metrics.
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
  accessGauge(
    'cache_hits',
    'On-chain access lookups served from the in-process cache.',
    () => access.stats().hits,
  )
  accessGauge(
    'cache_shared_hits',
    'On-chain access lookups served from the shared (Redis) tier: another instance had read them.',
    () => access.stats().sharedHits,
  )
  accessGauge(
    'cache_misses',
    'On-chain access lookups that read the chain.',
    () => access.stats().misses,
  )

  if (auth) {
    // Counters kept by the stores, copied in when scraped.
    const authCounter = (name: string, help: string, read: (stats: CacheStats) => number) =>
      new Counter({
        name: `accesspoint_auth_cache_${name}_total`,
        help,
        labelNames: ['store'],
        registers: [registry],
        collect() {
          this.reset()
          this.inc({ store: 'session' }, read(auth.sessions.stats()))
          this.inc({ store: 'api_key' }, read(auth.apiKeys.stats()))
        },
      })
    authCounter('hits', 'Bearer lookups answered from the in-process cache.', (stats) => stats.hits)
    authCounter('misses', 'Bearer lookups that read the database.', (stats) => stats.misses)
  }

  if (providers)
    new Gauge({
      name: 'accesspoint_provider_breaker_state',
      help: 'Circuit breaker per HTTP provider: 0 closed, 1 half-open, 2 open.',
      labelNames: ['provider'],
      registers: [registry],
      collect() {
        for (const provider of providers.providers())
          if ('breakerState' in provider && typeof provider.breakerState === 'function')
            this.set(
              { provider: provider.name },
              breakerStateValue[provider.breakerState() as ProviderBreakerState],
            )
      },
    })

  if (database)
    new Gauge({
      name: 'accesspoint_settlement_oldest_unsettled_seconds',
      help: 'Age of the oldest charge not yet settled on-chain (0 when there is none). Alert when it passes SETTLEMENT_DELAY plus a few intervals.',
      registers: [registry],
      async collect() {
        // A scrape during a database outage keeps the last value rather than failing /metrics.
        const oldest = await database.prisma.ledgerEntry
          .aggregate({
            where: { status: 'CHARGED', settledAt: null },
            _min: { capturedAt: true },
          })
          .then(
            ({ _min }) => _min.capturedAt,
            () => undefined,
          )
        if (oldest === undefined) return
        this.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0)
      },
    })

  return {
    registry,
    http: {
      requestDuration: new Histogram({
        name: 'accesspoint_http_request_duration_seconds',
        help: 'HTTP handling time by route (pattern, trpc:<procedure>, trpc:batch, unmatched), method and status class; streams count until they end.',
        labelNames: ['route', 'method', 'status_class'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers: [registry],
      }),
    },
    holds: new Counter({
      name: 'accesspoint_holds_total',
      help: 'AI request admissions by outcome: admitted, insufficient_balance, cost_cap, payment_failed, error.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    holdBatches: {
      size: new Histogram({
        name: 'accesspoint_hold_batch_size',
        help: 'Holds per admission batch statement (group commit).',
        buckets: [1, 2, 5, 10, 25, 50, 100, 256],
        registers: [registry],
      }),
      duration: new Histogram({
        name: 'accesspoint_hold_batch_duration_seconds',
        help: 'Time to place and commit one admission batch statement.',
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      }),
    },
    ledger: {
      batchSize: new Histogram({
        name: 'accesspoint_ledger_batch_size',
        help: 'Captures and releases per committed ledger batch (group commit).',
        buckets: [1, 2, 5, 10, 25, 50, 100, 256],
        registers: [registry],
      }),
      commitDuration: new Histogram({
        name: 'accesspoint_ledger_commit_duration_seconds',
        help: 'Time to write and commit one ledger batch transaction.',
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      }),
    },
    provider: {
      requestDuration: new Histogram({
        name: 'accesspoint_provider_request_duration_seconds',
        help: 'AI provider calls from start to final event or failure, by outcome (ok, error, aborted).',
        labelNames: ['provider', 'model', 'outcome'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
        registers: [registry],
      }),
      timeToFirstToken: new Histogram({
        name: 'accesspoint_provider_time_to_first_token_seconds',
        help: 'From the provider call to its first text.',
        labelNames: ['provider', 'model'],
        buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      }),
      errors: new Counter({
        name: 'accesspoint_provider_errors_total',
        help: 'Failed AI provider calls by error code (PROVIDER_ERROR, PROVIDER_UNAVAILABLE, TIMEOUT, ...).',
        labelNames: ['provider', 'code'],
        registers: [registry],
      }),
    },
    sseStreamsActive: new Gauge({
      name: 'accesspoint_sse_streams_active',
      help: 'Open SSE responses (tRPC subscriptions and /v1 streaming completions).',
      registers: [registry],
    }),
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
    settlement: {
      deductedMicroUsd: new Counter({
        name: 'accesspoint_settlement_deducted_micro_usd_total',
        help: 'Micro-USD deducted from passes on-chain by confirmed settlement batches.',
        registers: [registry],
      }),
      shortfallMicroUsd: new Counter({
        name: 'accesspoint_settlement_shortfall_micro_usd_total',
        help: 'Micro-USD settlement asked of passes that had too little credit (kept as debt).',
        registers: [registry],
      }),
      batches: new Counter({
        name: 'accesspoint_settlement_batches_total',
        help: 'Settlement transactions by final status (CONFIRMED, FAILED).',
        labelNames: ['status'],
        registers: [registry],
      }),
      batchSize: new Histogram({
        name: 'accesspoint_settlement_batch_size',
        help: 'Passes per settlement transaction.',
        buckets: [1, 5, 10, 20, 30, 40, 50, 100],
        registers: [registry],
      }),
      failures: new Counter({
        name: 'accesspoint_settlement_failures_total',
        help: 'Settlement failures: run (a whole run failed), batch_retry (a batch retried after an error), rpc_retry (an RPC call retried while planning).',
        labelNames: ['kind'],
        registers: [registry],
      }),
      lastSuccess: new Gauge({
        name: 'accesspoint_settlement_last_success_timestamp_seconds',
        help: 'When a settlement run last finished without error (Unix seconds; 0: not yet).',
        registers: [registry],
      }),
    },
  }
}

type CacheStats = { hits: number; misses: number }

const breakerStateValue: Record<ProviderBreakerState, number> = {
  closed: 0,
  'half-open': 1,
  open: 2,
}
