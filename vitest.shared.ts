import { defineConfig } from 'vitest/config'

// Every package resolves workspace imports to their TypeScript sources through this
// export condition, so tests never depend on a stale `dist/`.
// The rest are Vite's defaultServerConditions.
const conditions = ['@accesspoint/source', 'module', 'node', 'development|production']

export const sharedConfig = defineConfig({
  resolve: { conditions },
  // Node code resolves its dependencies as Node does in production, without bundlers' `module`
  // condition: some packages point it at builds only a bundler can load (OpenTelemetry's OTLP
  // exporter: extensionless ESM imports, "Cannot find module" under Node).
  ssr: { resolve: { conditions: conditions.filter((condition) => condition !== 'module') } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Skips are failures here: a test that cannot run must say why and fail.
    allowOnly: false,
    passWithNoTests: false,
  },
})
