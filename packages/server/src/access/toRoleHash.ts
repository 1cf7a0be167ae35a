import { InvalidInputError } from '@accesspoint/core'
import { type Hex, keccak256, stringToBytes, zeroHash } from 'viem'

/** A role name (`MINTER_ROLE`) or a bytes32 role id (`0x` + 64 hex digits). */
export type ToRoleHashParameters = string

export type ToRoleHashReturnType = Hex

export type ToRoleHashErrorType = InvalidInputError

const roleNamePattern = /^[A-Z][A-Z0-9_]*$/
const bytes32Pattern = /^0x[0-9a-fA-F]{64}$/

/**
 * The bytes32 id of an OpenZeppelin AccessControl role: `keccak256(name)` for a name, except
 * `DEFAULT_ADMIN_ROLE`, which OpenZeppelin defines as zero; a bytes32 hex is returned lower-cased.
 */
export function toRoleHash(role: ToRoleHashParameters): ToRoleHashReturnType {
  if (bytes32Pattern.test(role)) return role.toLowerCase() as Hex
  if (role === 'DEFAULT_ADMIN_ROLE') return zeroHash
  if (roleNamePattern.test(role)) return keccak256(stringToBytes(role))
  throw new InvalidInputError(`"${role}" is not an AccessControl role.`, {
    metaMessages: [
      'Use a role name in upper snake case as declared in the contract (e.g. "MINTER_ROLE",',
      '"DEFAULT_ADMIN_ROLE"), or the role id as bytes32 hex (0x followed by 64 hex digits).',
    ],
  })
}
