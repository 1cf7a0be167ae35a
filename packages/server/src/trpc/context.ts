import type { FastifyBaseLogger } from 'fastify'
import type { PublicClient } from 'viem'
import type { AccessResolver } from '../access/createAccessResolver.js'
import type { SessionStore } from '../auth/createSessionStore.js'
import type { SignInRateLimits } from '../auth/createSignInRateLimits.js'
import type { Database } from '../db/createDatabase.js'
import type { DiscoveryDocument } from '../http/getDiscoveryDocument.js'
import type { ApiKeyStore } from '../keys/createApiKeyStore.js'

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
  ip: string
  userAgent: string | undefined
  /** The raw `Authorization` header; resolved only by procedures that need a caller. */
  authorization: string | undefined
  services: Services
}
