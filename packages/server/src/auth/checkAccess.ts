import type { AccessResolver } from '../access/createAccessResolver.js'
import type { Access } from '../access/types.js'
import { ForbiddenRoleError } from './errors.js'
import type { ApiKeyScope, Principal } from './types.js'

export type CheckAccessParameters = {
  principal: Principal
  access: Pick<AccessResolver, 'getAccess'>
  /** The caller needs one of these roles; without it, any role will do. */
  roles?: readonly string[] | undefined
  scope?: ApiKeyScope | undefined
}

export type CheckAccessReturnType = Access
export type CheckAccessErrorType = ForbiddenRoleError

/**
 * The wallet's roles and passes (from the chain, cached), checked against what a procedure
 * needs. A wallet without any role is refused, so a sold pass stops working as soon as the chain
 * watcher sees the transfer; so is an API key whose billed pass the wallet no longer holds.
 */
export async function checkAccess({
  principal,
  access,
  roles,
  scope,
}: CheckAccessParameters): Promise<CheckAccessReturnType> {
  if (scope && principal.kind === 'apiKey' && !principal.scopes.includes(scope))
    throw new ForbiddenRoleError(`This API key lacks the "${scope}" scope.`, {
      details: `Create a key with the "${scope}" scope.`,
    })
  const wallet = await access.getAccess(principal.walletAddress)
  if (wallet.roles.length === 0)
    throw new ForbiddenRoleError(
      'This wallet no longer holds a pass or role that gives access. Get an AccessPass to continue.',
    )
  const keyPass = principal.kind === 'apiKey' ? principal.pass : null
  if (
    keyPass &&
    !wallet.passes.some(
      (pass) =>
        pass.chainId === keyPass.chainId &&
        pass.tokenId === keyPass.tokenId &&
        pass.contract.toLowerCase() === keyPass.contract.toLowerCase(),
    )
  )
    throw new ForbiddenRoleError(
      `This API key bills pass #${keyPass.tokenId}, which this wallet no longer holds.`,
      { details: 'Create a new key for a pass the wallet holds.' },
    )
  if (roles?.length && !roles.some((role) => wallet.roles.includes(role)))
    throw new ForbiddenRoleError(`This needs the ${roles.join(' or ')} role.`, {
      requiredRoles: roles,
      details: `Your roles: ${wallet.roles.join(', ')}.`,
    })
  return wallet
}
