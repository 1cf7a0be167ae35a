import { type Address, getAddress, zeroHash } from 'viem'
import type { RolesConfig } from './types.js'

export type DefaultRolesParameters = {
  chainId: number
  /** The AccessPass contract. */
  accessPass: Address
  /** Wallets that are admins whether or not they hold the contract's admin role. */
  adminAddresses?: readonly Address[] | undefined
}

export type DefaultRolesReturnType = RolesConfig & {
  holder: RolesConfig[string]
  admin: RolesConfig[string]
}

export type DefaultRolesErrorType = never

/**
 * The roles a deployment starts with: `holder` holds at least one AccessPass; `admin` holds
 * AccessPass's `DEFAULT_ADMIN_ROLE` or is on the admin allowlist.
 */
export function defaultRoles({
  chainId,
  accessPass,
  adminAddresses = [],
}: DefaultRolesParameters): DefaultRolesReturnType {
  const contract = getAddress(accessPass)
  return {
    holder: { type: 'erc721', chainId, contract },
    admin: {
      any: [
        // OpenZeppelin's DEFAULT_ADMIN_ROLE is bytes32(0).
        { type: 'accessControl', chainId, contract, role: zeroHash },
        { type: 'allowlist', addresses: adminAddresses.map((address) => getAddress(address)) },
      ],
    },
  }
}
