import type { FastifyBaseLogger } from 'fastify'
import type { PublicClient } from 'viem'
import type { AccessResolver } from '../access/createAccessResolver.js'
import type { GenerationRegistry } from '../ai/createGenerationRegistry.js'
import type { SessionStore } from '../auth/createSessionStore.js'
import type { SignInRateLimits } from '../auth/createSignInRateLimits.js'
import type { HoldWriter } from '../billing/createHoldWriter.js'
import type { LedgerWriter } from '../billing/createLedgerWriter.js'
import type { PriceCache } from '../billing/createPriceCache.js'
import type { Database } from '../db/createDatabase.js'
import type { DiscoveryDocument } from '../http/getDiscoveryDocument.js'
import type { RequestScope } from '../http/getRequestScope.js'
import type { ApiKeyStore } from '../keys/createApiKeyStore.js'
import type { Metrics } from '../metrics/createMetrics.js'
import type { PassDirectory } from '../passes/createPassDirectory.js'
import type { ProviderRegistry } from '../providers/createProviderRegistry.js'
import type { RequestRateLimits } from '../rateLimits/createRequestRateLimits.js'
import type { RateLimitStatus } from '../rateLimits/types.js'
import type { SettlementRunner } from '../settlementSchedule/createSettlementRunner.js'

/** Long-lived parts every request shares; built once by `createAccessPoint`. */
export type Services = {
  database: Database
  discovery: DiscoveryDocument
  sessions: SessionStore
  apiKeys: ApiKeyStore
  access: AccessResolver
  /** A public client per configured chain id. */
  clients: ReadonlyMap<number, PublicClient>
  signInLimits: SignInRateLimits
  /** Per IP, wallet and API key, for authenticated procedures and `/v1`. */
  requestLimits: RequestRateLimits
  providers: ProviderRegistry
  prices: PriceCache
  /** Admissions (holds), placed in batches of one statement (group commit). */
  holds: HoldWriter
  /** Captures and releases, written in batches (group commit). */
  ledger: LedgerWriter
  passes: PassDirectory
  /** Running and recently finished generations, for resumption. */
  generations: GenerationRegistry
  metrics: Metrics
  /** On-chain settlement with this server's key; undefined when none is configured. */
  settlement: SettlementRunner | undefined
  ai: {
    /** The most one request may cost (worst case). */
    capMicroUsd: bigint
    /** `max_tokens` when a request names none. */
    defaultMaxTokens: number
    /** How long a hold may stay open before recovery releases it. */
    holdTtlMs: number
  }
  siwe: {
    /** The domain and URI clients are told to sign for. */
    domain: string
    uri: string
    /** Every accepted domain (exact match) and URI (same origin), the above first. */
    domains: readonly string[]
    uris: readonly string[]
    chainIds: readonly number[]
    nonceTtlMs: number
    maxAgeMs: number
    sessionMaxMs: number
  }
}

/** What every procedure receives. Built once per HTTP request, so it stays small. */
export type Context = {
  requestId: string
  log: FastifyBaseLogger
  /** Provider timing (for `X-AccessPoint-Overhead-Ms`) and log bindings of this HTTP request. */
  scope: RequestScope
  ip: string
  userAgent: string | undefined
  /** The raw `Authorization` header; resolved only by procedures that need a caller. */
  authorization: string | undefined
  services: Services
  /**
   * The rate limits this request was counted against so far (filled by the procedures), for the
   * `RateLimit-*` headers `responseMeta` sends.
   */
  rateLimits: RateLimitStatus[]
}
