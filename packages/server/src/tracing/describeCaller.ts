import type { Span } from '@opentelemetry/api'
import type { Principal } from '../auth/types.js'

/**
 * The `accesspoint.auth` span's attributes: how the caller authenticated and which wallet it is.
 * Identifiers only, as in the logs; never the session token or the API key.
 */
export function describeCaller(span: Span, principal: Principal): void {
  span.setAttribute('accesspoint.auth.method', principal.kind === 'apiKey' ? 'api_key' : 'session')
  span.setAttribute('accesspoint.wallet', principal.walletAddress)
  if (principal.kind === 'apiKey') {
    span.setAttribute('accesspoint.api_key.id', principal.apiKeyId)
    if (principal.pass)
      span.setAttribute('accesspoint.pass.token_id', String(principal.pass.tokenId))
  }
}
