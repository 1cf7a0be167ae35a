import { defineConfig } from 'vitest/config'

// Every package resolves workspace imports to their TypeScript sources through this
// export condition, so tests never depend on a stale `dist/`.
const conditions = ['@accesspoint/source', 'import', 'module', 'node', 'default']

export const sharedConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@accesspoint/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Skips are failures here: a test that cannot run must say why and fail.
    allowOnly: false,
    passWithNoTests: false,
  },
})
