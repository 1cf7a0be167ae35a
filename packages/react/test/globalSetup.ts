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

/** One real server (anvil + embedded database) for the whole run, as in the client's tests. */
export default async function setup(project: TestProject) {
  // A few ms a token: a stream spans several animation frames, so batching is exercised.
  const server = await startTestServer({ ai: { dev: { tokenDelayMs: 5 } } })
  project.provide('serverUrl', server.url)
  project.provide('rpcUrl', server.chain.rpcUrl)
  return () => server.close()
}
