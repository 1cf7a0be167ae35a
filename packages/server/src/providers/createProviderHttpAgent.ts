import { Agent } from 'undici'

export type CreateProviderHttpAgentParameters = {
  /** TCP + TLS handshake. @default 10_000 */
  connectTimeoutMs?: number | undefined
  /**
   * Until the response headers arrive. A backstop: `withResilience`'s first-token timeout is
   * usually shorter. @default 60_000
   */
  headersTimeoutMs?: number | undefined
  /** Longest gap between two chunks of the body; a backstop like `headersTimeoutMs`. @default 120_000 */
  bodyTimeoutMs?: number | undefined
  /** How long an idle connection stays open when the server gives no hint. @default 30_000 */
  keepAliveTimeoutMs?: number | undefined
  /** Most connections per origin; each open stream holds one. @default unlimited */
  connections?: number | undefined
}

export type CreateProviderHttpAgentReturnType = Agent

export type CreateProviderHttpAgentErrorType = never

/**
 * The connection pool of one provider: keep-alive connections (so a request skips the TCP and
 * TLS handshakes, the bulk of time to first byte on a cold call) and bounded connect, headers and
 * body timeouts. Pass it as `dispatcher` to `fetch`; close it on shutdown.
 *
 * It is an Agent from the `undici` package (v7). Node's global `fetch` (undici 6 inside Node 20,
 * 7 in Node 24) accepts it as `dispatcher`: both speak the same `Dispatcher` protocol, which
 * `createProviderHttpAgent.test.ts` checks against a local server. The providers therefore call
 * the global `fetch`, which msw intercepts in tests, rather than undici's own, which it cannot.
 */
export function createProviderHttpAgent(
  parameters: CreateProviderHttpAgentParameters = {},
): CreateProviderHttpAgentReturnType {
  const {
    connectTimeoutMs = 10_000,
    headersTimeoutMs = 60_000,
    bodyTimeoutMs = 120_000,
    keepAliveTimeoutMs = 30_000,
    connections,
  } = parameters
  return new Agent({
    connect: { timeout: connectTimeoutMs },
    headersTimeout: headersTimeoutMs,
    bodyTimeout: bodyTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    // A server's `Keep-Alive: timeout=N` hint wins up to this; idle pools are cheap.
    keepAliveMaxTimeout: 10 * 60_000,
    ...(connections === undefined ? {} : { connections }),
  })
}
