import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig, loadEnv, type ProxyOptions } from 'vite'

// One `.env` for the whole repository: the server reads the root one, and so does the app.
const envDir = fileURLToPath(new URL('../..', import.meta.url))

export default defineConfig(({ mode }) => {
  // The process's own environment wins over `.env` (the e2e suite sets these per run).
  const env = { ...loadEnv(mode, envDir, ''), ...process.env }
  // Where the dev server and `vite preview` forward API and chain traffic, so the app runs on
  // one origin (the server's SIWE domain defaults to localhost:5173) with no CORS setup.
  const apiTarget = env.ACCESSPOINT_URL ?? `http://127.0.0.1:${env.PORT || 8787}`
  const chainTarget = env.DEV_CHAIN_URL ?? `http://127.0.0.1:${env.DEV_CHAIN_PORT || 8545}`
  return {
    envDir,
    plugins: [react()],
    resolve: {
      // Workspace packages resolve to their TypeScript sources: nothing to build first.
      conditions: ['@accesspoint/source', ...defaultClientConditions],
    },
    server: {
      host: 'localhost',
      port: 5173,
      strictPort: true,
      proxy: proxyTo(apiTarget, chainTarget),
    },
    preview: {
      host: 'localhost',
      port: 4173,
      strictPort: true,
      proxy: proxyTo(apiTarget, chainTarget),
    },
    build: {
      target: 'es2022',
      sourcemap: true,
      rolldownOptions: {
        output: {
          // Libraries in chunks of their own: they change less often than the app, so browsers keep
          // them cached across deploys.
          codeSplitting: {
            groups: [
              { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
              {
                name: 'web3',
                test: /node_modules[\\/](viem|wagmi|@wagmi|ox|abitype|@noble|@scure|mipd|zustand)[\\/]/,
              },
              {
                name: 'data',
                test: /node_modules[\\/](@tanstack|@trpc|superjson|copy-anything)[\\/]/,
              },
            ],
          },
        },
      },
    },
  }
})

function proxyTo(apiTarget: string, chainTarget: string): Record<string, ProxyOptions> {
  const api: ProxyOptions = {
    target: apiTarget,
    // Streams (tRPC subscriptions over SSE) stay open for minutes: never time them out here.
    timeout: 0,
    proxyTimeout: 0,
    configure: (proxy) => {
      // Ask any buffering layer in between to pass SSE events through as they come.
      proxy.on('proxyRes', (response) => {
        if (response.headers['content-type']?.startsWith('text/event-stream'))
          response.headers['x-accel-buffering'] = 'no'
      })
    },
  }

  return {
    '/trpc': api,
    '/v1': api,
    '/.well-known': api,
    '/healthz': api,
    '/readyz': api,
    // The chain's JSON-RPC (anvil in development), served at the root of its own port.
    '/rpc': {
      target: chainTarget,
      changeOrigin: true,
      rewrite: (path) => path.replace(/^\/rpc\/?/, '/'),
    },
  }
}
