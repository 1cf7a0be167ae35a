import type { FastifyBaseLogger } from 'fastify'
import type { Access } from '../access/types.js'
import type { RequestScope } from '../http/getRequestScope.js'
import type { RateLimitStatus } from '../rateLimits/types.js'
import { describeAccess } from '../tracing/describeAccess.js'
import { describeCaller } from '../tracing/describeCaller.js'
import { withSpan } from '../tracing/withSpan.js'
import type { Services } from '../trpc/context.js'
import { authenticateBearer } from './authenticateBearer.js'
import { checkAccess } from './checkAccess.js'
import type { ApiKeyScope, Principal } from './types.js'

export type AdmitCallerParameters = {
  services: Pick<Services, 'sessions' | 'apiKeys' | 'access' | 'requestLimits'>
  scope: Pick<RequestScope, 'trace' | 'bindLog'>
  ip: string
  /** The `Authorization` header. */
  authorization: string | undefined
  /** The caller needs one of these roles (a procedure's meta); without it, any role will do. */
  roles?: readonly string[] | undefined
  /** An API key needs this scope. */
  keyScope?: ApiKeyScope | undefined
  /** Rate-limit statuses for the response's headers; appended to also on refusal. */
  rateLimits: RateLimitStatus[]
}

export type AdmitCallerReturnType = {
  principal: Principal
  wallet: Access
  /** The request's logger, naming the wallet (and an API key's pass) from now on. */
  log: FastifyBaseLogger
}

/**
 * Who is calling, whether their wallet holds a role now, and whether their rate limits allow one
 * more request: the front door of every authenticated request (`/v1`, tRPC's `authedProcedure`).
 *
 * The IP, wallet and API-key limits are counted in one step (one Redis call) once the caller is
 * known, which in steady state takes no I/O (credentials and roles are cached). Guessing stays
 * limited as if the IP were counted first: a request whose credentials or roles are refused is
 * counted against its IP alone, and an IP refused a moment ago is refused before its credentials
 * are read (`checkIp`, no I/O), until its bucket refills.
 *
 * @throws {RateLimitedError} The IP, wallet or key is over its limit.
 * @throws {UnauthenticatedError} No, unknown, expired or revoked credentials.
 * @throws {ForbiddenRoleError} The wallet holds no (fitting) role, or the key lacks the scope.
 */
export async function admitCaller({
  services,
  scope,
  ip,
  authorization,
  roles,
  keyScope,
  rateLimits,
}: AdmitCallerParameters): Promise<AdmitCallerReturnType> {
  const { sessions, apiKeys, access, requestLimits } = services
  requestLimits.checkIp(ip, rateLimits)
  let principal: Principal
  let wallet: Access
  let log: FastifyBaseLogger
  try {
    principal = await withSpan(
      scope.trace,
      'accesspoint.auth',
      authenticateBearer,
      { authorization, sessions, apiKeys },
      describeCaller,
    )
    // From here every log line of the request names the caller; an API key also names its pass.
    log = scope.bindLog({
      wallet: principal.walletAddress,
      ...(principal.kind === 'apiKey' && principal.pass
        ? { passTokenId: String(principal.pass.tokenId) }
        : {}),
    })
    wallet = await withSpan(
      scope.trace,
      'accesspoint.roles',
      checkAccess,
      { principal, access, roles, scope: keyScope },
      describeAccess,
    )
  } catch (error) {
    // Refused before the limits were counted: the IP pays for it (a refusal of the IP itself
    // replaces the error, as it would have come first).
    await requestLimits.consumeIp(ip, rateLimits)
    throw error
  }
  await requestLimits.consume({ ip, principal, roles: wallet.roles }, rateLimits)
  return { principal, wallet, log }
}
