import type { Address } from 'viem'

/** Who is calling: a wallet signed in with SIWE, or an API key it created. */
export type Principal =
  | {
      kind: 'session'
      sessionId: string
      /** Lower-case. */
      walletAddress: Address
      chainId: number
      expiresAt: Date
    }
  | {
      kind: 'apiKey'
      apiKeyId: string
      walletAddress: Address
      scopes: readonly ApiKeyScope[]
      /** The pass its requests are billed to; the key stops working if the wallet sells it. */
      pass: PassRef | null
      expiresAt: Date | null
    }

/** What an API key may do. Keys never manage keys or sessions: that needs a signature. */
export const apiKeyScopes = ['ai', 'read'] as const
export type ApiKeyScope = (typeof apiKeyScopes)[number]

/** One AccessPass token. */
export type PassRef = { chainId: number; contract: Address; tokenId: bigint }
