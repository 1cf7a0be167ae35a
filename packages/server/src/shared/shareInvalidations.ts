import type { AccessResolver } from '../access/createAccessResolver.js'
import type { SessionStore } from '../auth/createSessionStore.js'
import type { ApiKeyStore } from '../keys/createApiKeyStore.js'
import type { SharedRedis } from './createRedis.js'

export type ShareInvalidationsParameters = {
  redis: SharedRedis
  sessions: SessionStore
  apiKeys: ApiKeyStore
  access: AccessResolver
}

export type ShareInvalidationsReturnType = {
  /** The same stores whose revocations are also announced to every other instance. */
  sessions: SessionStore
  apiKeys: ApiKeyStore
  /** Stops listening both ways. */
  stop(): void
}

/**
 * Makes revocations and access invalidations reach every instance at once: each revocation
 * (sign-out, admin, wallet-wide, API key) and each `access.invalidate` (settlement, admin refresh,
 * chain watcher) is published after it is applied here, and what the other instances publish is
 * dropped from this instance's caches. The database stays the source of truth: a message that
 * never arrives (Redis down) only means the entry is re-read when its cache TTL runs out.
 */
export function shareInvalidations({
  redis,
  sessions,
  apiKeys,
  access,
}: ShareInvalidationsParameters): ShareInvalidationsReturnType {
  // An invalidation received from another instance is applied with `access.invalidate`, which
  // notifies listeners; it must not be echoed back.
  let applyingRemote = false
  const stopAccess = access.onInvalidate((address) => {
    if (!applyingRemote) void redis.publish({ type: 'access', address })
  })
  const stopRedis = redis.subscribe((event) => {
    switch (event.type) {
      case 'session':
        sessions.forgetSession(event.sessionId)
        break
      case 'walletSessions':
        sessions.forgetWallet(event.walletAddress as `0x${string}`)
        break
      case 'apiKey':
        apiKeys.forgetKey(event.apiKeyId)
        break
      case 'access':
        applyingRemote = true
        try {
          access.invalidate(event.address)
        } catch {
          // A malformed address names nothing cached.
        } finally {
          applyingRemote = false
        }
        break
      case 'resync':
        // Revocations and access changes published while this instance was cut off were
        // missed: read again.
        sessions.forgetAll()
        apiKeys.forgetAll()
        access.forgetAll()
        break
    }
  })
  return {
    sessions: {
      ...sessions,
      async revoke(sessionId, reason) {
        const revoked = await sessions.revoke(sessionId, reason)
        await redis.publish({ type: 'session', sessionId })
        return revoked
      },
      async revokeWallet(walletAddress, reason) {
        const count = await sessions.revokeWallet(walletAddress, reason)
        await redis.publish({ type: 'walletSessions', walletAddress: walletAddress.toLowerCase() })
        return count
      },
    },
    apiKeys: {
      ...apiKeys,
      async revoke(walletAddress, id) {
        const key = await apiKeys.revoke(walletAddress, id)
        await redis.publish({ type: 'apiKey', apiKeyId: key.id })
        return key
      },
    },
    stop() {
      stopAccess()
      stopRedis()
    },
  }
}
