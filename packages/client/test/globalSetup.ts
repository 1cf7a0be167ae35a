import { startTestServer } from '@accesspoint/server/testing'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared test server's base URL. */
    serverUrl: string
    /** Its dev chain's JSON-RPC URL (anvil: unlocked accounts sign `personal_sign`). */
    rpcUrl: string
  }
}

/**
 * One real server for the whole run (anvil + embedded database start in ~3 s; two CPUs here).
 * Test files share it, so each keeps to its own wallets where balances matter: see
 * `test/accounts.ts`.
 */
export default async function setup(project: TestProject) {
  // 10 ms a token: streams last long enough (~0.5-1.3 s) to cut one mid-generation.
  const server = await startTestServer({ ai: { dev: { tokenDelayMs: 10 } } })
  project.provide('serverUrl', server.url)
  project.provide('rpcUrl', server.chain.rpcUrl)
  return () => server.close()
}
