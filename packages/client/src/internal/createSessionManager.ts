import type { Address } from 'viem'
import type { SessionStorage } from '../storage/types.js'

/** A session as the client keeps it (in memory and in its `SessionStorage`). */
export type StoredSession = {
  /** The bearer token (`ap_sess_...`). */
  token: string
  id: string
  address: Address
  chainId: number
  expiresAt: Date
  /** When the client got it; with `expiresAt`, its lifetime. */
  createdAt: Date
  /** The server it belongs to. */
  url: string
  /** Set when the server said it is over before `expiresAt` (signed out elsewhere, revoked). */
  endedAt?: Date | undefined
}

/** Whether the signer has a usable session, had one that is over, or never had one here. */
export type SessionState =
  | { status: 'active'; session: StoredSession }
  | { status: 'expired'; session: StoredSession }
  | { status: 'none' }

export type CreateSessionManagerParameters = {
  url: string
  storage: SessionStorage
  /** Treat a session as over this long before it expires, so no call races its expiry. */
  marginMs: number
  /** The signer's address; throws when there is no signer. */
  getAddress: () => Promise<Address>
  /** Asks the wallet for a signature and opens a new session. */
  signIn: (address: Address) => Promise<StoredSession>
  now?: (() => number) | undefined
}

export type SessionManager = {
  /** A usable session: from memory, else from storage, else a new sign-in (one at a time). */
  get(): Promise<StoredSession>
  /** Signs in; with `force`, even when a usable session is kept. */
  signIn(options?: { force?: boolean | undefined }): Promise<StoredSession>
  /** The usable session kept in memory or storage, if any, without signing. */
  peek(): Promise<StoredSession | undefined>
  /** The signer's session state, without signing and without asking the server. */
  state(): Promise<SessionState>
  /**
   * Marks the session with this token as over (the server rejected it), unless a newer one
   * replaced it: it is never used again, and `state()` says `expired` until the next sign-in.
   */
  invalidate(token: string): Promise<void>
  /** Forgets the signer's session, whatever it is. */
  clear(): Promise<void>
}

/**
 * Keeps one session per (server, address) and makes sure concurrent calls that need one share a
 * single sign-in, so a bot firing 100 requests at start-up asks its key for one signature.
 */
export function createSessionManager({
  url,
  storage,
  marginMs,
  getAddress,
  signIn: openSession,
  now = Date.now,
}: CreateSessionManagerParameters): SessionManager {
  let current: StoredSession | undefined
  let pending: Promise<StoredSession> | undefined

  // The URL and the address both go into the key: two servers or two wallets sharing one
  // storage (a bot running several keys) must never pick up each other's sessions.
  const keyOf = (address: Address) => `accesspoint:session:v1:${url}:${address.toLowerCase()}`

  const usable = (session: StoredSession | undefined, address: Address) => {
    if (!session || session.url !== url || session.endedAt) return false
    if (session.address.toLowerCase() !== address.toLowerCase()) return false
    const lifetime = session.expiresAt.getTime() - session.createdAt.getTime()
    // A tenth of a short session's life at most, so short sessions stay usable at all.
    const margin = Math.min(marginMs, Math.max(0, lifetime) / 10)
    return session.expiresAt.getTime() - margin > now()
  }

  async function fromStorage(address: Address): Promise<StoredSession | undefined> {
    const session = parseSession(await storage.get(keyOf(address)))
    return usable(session, address) ? session : undefined
  }

  async function peek(): Promise<StoredSession | undefined> {
    const address = await getAddress()
    if (usable(current, address)) return current
    const stored = await fromStorage(address)
    if (stored) current = stored
    return stored
  }

  function single(run: () => Promise<StoredSession>): Promise<StoredSession> {
    pending ??= run().finally(() => {
      pending = undefined
    })
    return pending
  }

  async function fresh(address: Address): Promise<StoredSession> {
    const session = await openSession(address)
    current = session
    await storage.set(keyOf(address), serializeSession(session))
    return session
  }

  async function get(): Promise<StoredSession> {
    const address = await getAddress()
    if (usable(current, address) && current) return current
    return single(async () => (await peek()) ?? fresh(address))
  }

  return {
    get,
    async signIn(options = {}) {
      if (!options.force) return get()
      // A forced sign-in still joins one already running: its session is just as new.
      if (pending) return pending
      const address = await getAddress()
      return single(() => fresh(address))
    },
    peek,
    async state() {
      const address = await getAddress()
      const session = (await peek()) ?? parseSession(await storage.get(keyOf(address)))
      if (!session || session.url !== url) return { status: 'none' }
      return { status: usable(session, address) ? 'active' : 'expired', session }
    },
    async invalidate(token) {
      if (current?.token === token) current = undefined
      const address = await getAddress()
      const stored = parseSession(await storage.get(keyOf(address)))
      // Kept as a marker without its token, so the app can say "expired" rather than "signed out".
      if (stored?.token === token)
        await storage.set(
          keyOf(address),
          serializeSession({ ...stored, token: '', endedAt: new Date(now()) }),
        )
    },
    async clear() {
      current = undefined
      await storage.remove(keyOf(await getAddress()))
    },
  }
}

function serializeSession(session: StoredSession): string {
  return JSON.stringify({
    ...session,
    expiresAt: session.expiresAt.toISOString(),
    createdAt: session.createdAt.toISOString(),
    endedAt: session.endedAt?.toISOString(),
  })
}

/** The stored session, or undefined for anything missing, damaged or of another shape. */
function parseSession(value: string | null | undefined): StoredSession | undefined {
  if (!value) return undefined
  try {
    const raw = JSON.parse(value) as Record<string, unknown>
    const expiresAt = new Date(String(raw.expiresAt))
    const createdAt = new Date(String(raw.createdAt))
    const endedAt = raw.endedAt === undefined ? undefined : new Date(String(raw.endedAt))
    if (
      typeof raw.token !== 'string' ||
      typeof raw.id !== 'string' ||
      typeof raw.address !== 'string' ||
      !/^0x[0-9a-fA-F]{40}$/.test(raw.address) ||
      typeof raw.chainId !== 'number' ||
      typeof raw.url !== 'string' ||
      Number.isNaN(expiresAt.getTime()) ||
      Number.isNaN(createdAt.getTime()) ||
      (endedAt && Number.isNaN(endedAt.getTime()))
    )
      return undefined
    return {
      token: raw.token,
      id: raw.id,
      address: raw.address as Address,
      chainId: raw.chainId,
      expiresAt,
      createdAt,
      url: raw.url,
      ...(endedAt && { endedAt }),
    }
  } catch {
    return undefined
  }
}
