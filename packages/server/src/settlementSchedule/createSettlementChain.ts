import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { SettlementChain } from '../settlement/types.js'

export type CreateSettlementChainParameters = {
  rpcUrl: string
  chainId: number
  /** The AccessPass contract. */
  contract: Address
  /** An account with the AccessPass BILLING_ROLE; it sends `settle` and pays the gas. */
  privateKey: Hex
  /** How often receipts and blocks are polled. @default 1_000 */
  pollingIntervalMs?: number | undefined
}

export type CreateSettlementChainReturnType = SettlementChain

/**
 * The clients settlement sends and confirms with. Separate from the role readers' clients,
 * whose 3 s timeout suits a request path, not a transaction waiting for its confirmations.
 */
export function createSettlementChain({
  rpcUrl,
  chainId,
  contract,
  privateKey,
  pollingIntervalMs = 1_000,
}: CreateSettlementChainParameters): CreateSettlementChainReturnType {
  const chain = defineChain({
    id: chainId,
    name: `Chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
  const transport = http(rpcUrl, { timeout: 15_000 })
  return {
    publicClient: createPublicClient({ chain, transport, pollingInterval: pollingIntervalMs }),
    walletClient: createWalletClient({
      account: privateKeyToAccount(privateKey),
      chain,
      transport,
      pollingInterval: pollingIntervalMs,
    }),
    contract,
    chainId,
  }
}
