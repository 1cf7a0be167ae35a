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
      // One real server (anvil + embedded database) for every file; see test/globalSetup.ts.
      globalSetup: ['./test/globalSetup.ts'],
    },
  }),
)
