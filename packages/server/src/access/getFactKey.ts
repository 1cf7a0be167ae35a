import type { AccessFact } from './types.js'

export type GetFactKeyParameters = AccessFact

export type GetFactKeyReturnType = string

export type GetFactKeyErrorType = never

/**
 * A stable string for a fact (the address it is about is implied by where it is stored), so that
 * two rules needing the same fact share one read and one cache entry.
 */
export function getFactKey(fact: GetFactKeyParameters): GetFactKeyReturnType {
  const contract = fact.contract.toLowerCase()
  switch (fact.type) {
    case 'erc721Balance':
      return `${fact.chainId}:${contract}:erc721`
    case 'erc1155Balance':
      return `${fact.chainId}:${contract}:erc1155:${fact.tokenId}`
    case 'hasRole':
      return `${fact.chainId}:${contract}:role:${fact.role.toLowerCase()}`
    case 'passes':
      return `${fact.chainId}:${contract}:passes`
  }
}
