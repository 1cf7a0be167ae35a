import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../vitest.shared.js'

export default mergeConfig(
  sharedConfig,
  defineConfig({
    environments: {
      __vitest__: {
        resolve: {
          conditions: ['@accesspoint/source', 'module', 'node', 'development|production'],
        },
      },
    },
    test: {
      include: ['browser/**/*.test.ts', 'web/**/*.test.ts'],
      // One system (server process, anvil, PostgreSQL, the built dapp) and one Chromium for the
      // run; files share them and keep to their own dev accounts (see support/accounts.ts).
      globalSetup: ['./support/globalSetup.ts'],
      // A browser flow is many round trips on a 2-core machine that runs other suites beside it.
      testTimeout: 120_000,
      hookTimeout: 180_000,
      fileParallelism: false,
    },
  }),
)
