import type { Address, Chain } from 'viem'
import * as chains from 'viem/chains'

export type GetMulticall3AddressParameters = { chainId: number }

/** `undefined` when viem knows no Multicall3 deployment on the chain (e.g. anvil). */
export type GetMulticall3AddressReturnType = Address | undefined

export type GetMulticall3AddressErrorType = never

let byChainId: Map<number, Address | null> | undefined

/**
 * Where Multicall3 is deployed on a chain, from viem's chain list. Reads on other chains send
 * the Multicall3 bytecode along with each call (deployless), which works anywhere but costs a
 * few kB per request.
 */
export function getMulticall3Address({
  chainId,
}: GetMulticall3AddressParameters): GetMulticall3AddressReturnType {
  if (!byChainId) {
    byChainId = new Map()
    for (const chain of Object.values(chains) as Chain[]) {
      const address = chain.contracts?.multicall3?.address
      if (!address) continue
      const known = byChainId.get(chain.id)
      // A few chain ids are claimed by several networks with different deployments; there,
      // deployless is the only choice that is right on all of them.
      const same = known === undefined || known?.toLowerCase() === address.toLowerCase()
      byChainId.set(chain.id, same ? address : null)
    }
  }
  return byChainId.get(chainId) ?? undefined
}
