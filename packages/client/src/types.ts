import type { Address } from 'viem'

/** One AccessPass token. */
export type PassRef = { chainId: number; contract: Address; tokenId: bigint }

/** What an API key may do: `ai` (completions) and `read` (balance, usage, me). */
export type ApiKeyScope = 'ai' | 'read'

/** An API key as listed (never the secret). */
export type ApiKey = {
  id: string
  name: string
  /** The first characters of the secret, to tell keys apart. */
  prefix: string
  scopes: ApiKeyScope[]
  /** The pass its requests are billed to. */
  pass: PassRef | null
  createdAt: Date
  lastUsedAt: Date | null
  expiresAt: Date | null
  revokedAt: Date | null
}

/** One chat message. */
export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string }

/** Token counts the provider reported for one request. */
export type TokenUsage = { inputTokens: number; cachedInputTokens: number; outputTokens: number }

/** What `complete` and `stream` take (money in micro-USD `bigint`s elsewhere, none here). */
export type ChatParameters = {
  model: string
  messages: ChatMessage[]
  /** Clamped by the server to what the per-request cap and the balance allow. */
  maxTokens?: number | undefined
  temperature?: number | undefined
  /** Which of the wallet's passes pays; the first one when left out. API keys bill their own. */
  passTokenId?: bigint | undefined
  /**
   * Makes retries safe: the server answers a repeat with the first result and charges once.
   * The client makes one per call when left out; pass your own to dedupe across processes.
   */
  idempotencyKey?: string | undefined
  signal?: AbortSignal | undefined
}

/** A `fetch` implementation (the global one by default). */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>
