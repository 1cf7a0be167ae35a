import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type PreviewServer, preview } from 'vite'

const root = fileURLToPath(new URL('../../apps/web/', import.meta.url))

export type WebApp = { url: string; stop(): Promise<void> }

/**
 * Builds the demo dapp for production and serves the build with `vite preview` on `port`,
 * proxying the API and `/rpc` (the dev chain) as its `vite.config.ts` does in `pnpm dev`:
 * the browser sees one origin, which is also the server's SIWE domain.
 */
export async function startWebApp({
  port,
  apiUrl,
  rpcUrl,
}: {
  port: number
  apiUrl: string
  rpcUrl: string
}): Promise<WebApp> {
  // The web app's vite.config.ts reads its proxy targets from these, as in development.
  process.env.ACCESSPOINT_URL = apiUrl
  process.env.DEV_CHAIN_URL = rpcUrl
  const outDir = await mkdtemp(join(tmpdir(), 'ap-web-'))
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } })
  let server: PreviewServer
  try {
    server = await preview({
      root,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port, strictPort: true, open: false },
    })
  } catch (error) {
    await rm(outDir, { recursive: true, force: true })
    throw error
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await server.close()
      await rm(outDir, { recursive: true, force: true })
    },
  }
}
