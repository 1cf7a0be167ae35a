import { defineConfig } from 'vitest/config'

// Every package resolves workspace imports to their TypeScript sources through this
// export condition, so tests never depend on a stale `dist/`.
// The rest are Vite's defaultServerConditions.
const conditions = ['@accesspoint/source', 'module', 'node', 'development|production']

export const sharedConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Skips are failures here: a test that cannot run must say why and fail.
    allowOnly: false,
    passWithNoTests: false,
  },
})
