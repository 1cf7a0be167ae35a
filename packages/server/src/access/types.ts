import type { Address, Hex } from 'viem'

/** Holds at least `minBalance` (default 1) tokens of an ERC-721 contract. */
export type Erc721RoleRule = {
  type: 'erc721'
  chainId: number
  contract: Address
  minBalance?: bigint | undefined
}

/** Holds at least `minBalance` (default 1) of one ERC-1155 token id. */
export type Erc1155RoleRule = {
  type: 'erc1155'
  chainId: number
  contract: Address
  tokenId: bigint
  minBalance?: bigint | undefined
}

/** OpenZeppelin AccessControl `hasRole(role, address)`; `role` is the bytes32 role id. */
export type AccessControlRoleRule = {
  type: 'accessControl'
  chainId: number
  contract: Address
  role: Hex
}

/** One of a fixed list of addresses (checksummed). */
export type AllowlistRoleRule = {
  type: 'allowlist'
  addresses: readonly Address[]
}

export type AnyRoleRule = { any: readonly RoleRule[] }
export type AllRoleRule = { all: readonly RoleRule[] }

/** A rule over on-chain facts (and an allowlist) that decides whether an address has a role. */
export type RoleRule =
  | Erc721RoleRule
  | Erc1155RoleRule
  | AccessControlRoleRule
  | AllowlistRoleRule
  | AnyRoleRule
  | AllRoleRule

/** Role name → rule. Roles are evaluated in key order. */
export type RolesConfig = Record<string, RoleRule>

/** One on-chain fact about an address that a rule or the pass list needs. */
export type AccessFact =
  | { type: 'erc721Balance'; chainId: number; contract: Address }
  | { type: 'erc1155Balance'; chainId: number; contract: Address; tokenId: bigint }
  | { type: 'hasRole'; chainId: number; contract: Address; role: Hex }
  | { type: 'passes'; chainId: number; contract: Address }

export type PassHolding = { tokenId: bigint; creditMicroUsd: bigint }

/** The value of each kind of {@link AccessFact}. */
export type AccessFactValue<fact extends AccessFact = AccessFact> = fact extends {
  type: 'erc721Balance' | 'erc1155Balance'
}
  ? bigint
  : fact extends { type: 'hasRole' }
    ? boolean
    : readonly PassHolding[]

/** Looks a fact up for the address being evaluated; `undefined` when it was not read. */
export type AccessFactLookup = <fact extends AccessFact>(
  fact: fact,
) => AccessFactValue<fact> | undefined

/** A pass (AccessPass token) held by an address, with its prepaid credit. */
export type AccessPassHolding = {
  chainId: number
  contract: Address
  tokenId: bigint
  creditMicroUsd: bigint
}

export type Access = {
  /** Checksummed. */
  address: Address
  /** Names of the roles the address holds, in config order. */
  roles: string[]
  passes: AccessPassHolding[]
}
