import type { TestProject } from 'vitest/node'
import { freePort } from './freePort.js'
import { createPostgresDatabase } from './postgres.js'
import { startServerProcess } from './startServerProcess.js'
import { startWebApp } from './startWebApp.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The demo dapp (built, served by `vite preview`, proxying the API and the chain). */
    webUrl: string
    /** The server process's own URL. */
    apiUrl: string
    /** Its dev chain (anvil). */
    rpcUrl: string
  }
}

/**
 * The whole system once per run, as a user runs it: the `apps/server` process on a fresh
 * PostgreSQL database with its dev chain, and the production build of `apps/web` in front.
 */
export default async function setup(project: TestProject) {
  const database = await createPostgresDatabase()
  const webPort = await freePort()
  const webOrigin = `http://127.0.0.1:${webPort}`
  const cleanups: Array<() => Promise<void>> = [database.drop]
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  }
  try {
    const server = await startServerProcess(await freePort(), {
      DATABASE_URL: database.url,
      MIGRATE_ON_START: 'true',
      SEED_ON_START: 'true',
      // The dapp's origin is the SIWE domain, as localhost:5173 is in `pnpm dev`.
      SIWE_DOMAIN: `127.0.0.1:${webPort}`,
      SIWE_URI: webOrigin,
      // Paced like a real model, so a stream is visibly a stream (and can be stopped).
      DEV_TOKEN_DELAY_MS: '15',
    })
    cleanups.push(server.stop)
    const web = await startWebApp({ port: webPort, apiUrl: server.url, rpcUrl: server.rpcUrl })
    cleanups.push(web.stop)
    project.provide('webUrl', web.url)
    project.provide('apiUrl', server.url)
    project.provide('rpcUrl', server.rpcUrl)
  } catch (error) {
    await teardown()
    throw error
  }
  return teardown
}
