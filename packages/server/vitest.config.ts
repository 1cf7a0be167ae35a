import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.js'

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      // Database tests create their own PostgreSQL database / PGlite instance per file.
      fileParallelism: true,
      globalSetup: ['./test/globalSetup.ts'],
    },
  }),
)
