import { InternalError } from '@accesspoint/core'
import { type Address, getAddress } from 'viem'
import type { AccessFact, AccessFactLookup, RoleRule } from './types.js'

export type EvaluateRoleRuleParameters = {
  rule: RoleRule
  /** The address being evaluated. */
  address: Address
  /** Facts about `address`, as read from the chain or the cache. */
  facts: AccessFactLookup
}

export type EvaluateRoleRuleReturnType = boolean

export type EvaluateRoleRuleErrorType = InternalError

// Allowlists can be long and are checked on every request: build each lookup set once.
const allowlistSets = new WeakMap<readonly Address[], Set<string>>()

/**
 * Whether `address` satisfies `rule`. Pure: every on-chain fact comes from `facts`, and a fact
 * that was not read is a bug in the caller, so it throws instead of counting as "no".
 */
export function evaluateRoleRule({
  rule,
  address,
  facts,
}: EvaluateRoleRuleParameters): EvaluateRoleRuleReturnType {
  if ('any' in rule)
    return rule.any.some((child) => evaluateRoleRule({ rule: child, address, facts }))
  if ('all' in rule)
    return rule.all.every((child) => evaluateRoleRule({ rule: child, address, facts }))
  switch (rule.type) {
    case 'allowlist': {
      let set = allowlistSets.get(rule.addresses)
      if (!set) {
        set = new Set(rule.addresses.map((entry) => entry.toLowerCase()))
        allowlistSets.set(rule.addresses, set)
      }
      return set.has(address.toLowerCase())
    }
    case 'erc721':
      return (
        need(facts, { type: 'erc721Balance', chainId: rule.chainId, contract: rule.contract }) >=
        (rule.minBalance ?? 1n)
      )
    case 'erc1155':
      return (
        need(facts, {
          type: 'erc1155Balance',
          chainId: rule.chainId,
          contract: rule.contract,
          tokenId: rule.tokenId,
        }) >= (rule.minBalance ?? 1n)
      )
    case 'accessControl':
      return need(facts, {
        type: 'hasRole',
        chainId: rule.chainId,
        contract: rule.contract,
        role: rule.role,
      })
  }
}

function need<fact extends AccessFact>(facts: AccessFactLookup, fact: fact) {
  const value = facts(fact)
  if (value === undefined)
    throw new InternalError(undefined, {
      metaMessages: [
        `Fact ${fact.type} of ${getAddress(fact.contract)} on chain ${fact.chainId} was not read.`,
      ],
    })
  return value
}
