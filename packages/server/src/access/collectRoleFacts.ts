import type { Address } from 'viem'
import { getFactKey } from './getFactKey.js'
import type { AccessFact, RoleRule, RolesConfig } from './types.js'

export type CollectRoleFactsParameters = {
  roles: RolesConfig
  /** AccessPass contracts whose `passesOf` is read for the pass list. */
  passContracts?: readonly { chainId: number; address: Address }[] | undefined
}

/** Each fact once, in first-use order. */
export type CollectRoleFactsReturnType = AccessFact[]

export type CollectRoleFactsErrorType = never

/** Every on-chain fact needed to evaluate all roles and list passes, without duplicates. */
export function collectRoleFacts({
  roles,
  passContracts = [],
}: CollectRoleFactsParameters): CollectRoleFactsReturnType {
  const facts = new Map<string, AccessFact>()
  const add = (fact: AccessFact) => {
    const key = getFactKey(fact)
    if (!facts.has(key)) facts.set(key, fact)
  }
  const visit = (rule: RoleRule) => {
    if ('any' in rule) for (const child of rule.any) visit(child)
    else if ('all' in rule) for (const child of rule.all) visit(child)
    else if (rule.type === 'erc721')
      add({ type: 'erc721Balance', chainId: rule.chainId, contract: rule.contract })
    else if (rule.type === 'erc1155')
      add({
        type: 'erc1155Balance',
        chainId: rule.chainId,
        contract: rule.contract,
        tokenId: rule.tokenId,
      })
    else if (rule.type === 'accessControl')
      add({ type: 'hasRole', chainId: rule.chainId, contract: rule.contract, role: rule.role })
    // Allowlists need no on-chain fact.
  }
  for (const rule of Object.values(roles)) visit(rule)
  for (const { chainId, address } of passContracts)
    add({ type: 'passes', chainId, contract: address })
  return [...facts.values()]
}
