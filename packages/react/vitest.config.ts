import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.js'

export default mergeConfig(
  sharedConfig,
  defineConfig({
    // Global setup runs in vitest's own environment, which does not inherit the shared
    // resolve conditions; it imports the server from source like the tests do.
    environments: {
      __vitest__: {
        resolve: {
          conditions: ['@accesspoint/source', 'module', 'node', 'development|production'],
        },
      },
    },
    test: {
      // Hooks render components: a DOM (window, localStorage, requestAnimationFrame).
      environment: 'happy-dom',
      environmentOptions: {
        happyDOM: {
          // happy-dom's fetch enforces CORS from its blank page; the test server (another
          // origin, no CORS configured) is reached directly, as from a same-origin deployment.
          settings: { fetch: { disableSameOriginPolicy: true } },
        },
      },
      setupFiles: ['./test/setup.ts'],
      // Merged with the shared `*.test.ts` patterns: component tests are `.tsx`.
      include: ['src/**/*.test.tsx'],
      // One real server (anvil + embedded database) for every file; see test/globalSetup.ts.
      globalSetup: ['./test/globalSetup.ts'],
    },
  }),
)
