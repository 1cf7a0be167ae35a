import { expect, test } from 'vitest'
import * as server from './index.js'

test('exports', () => {
  expect(Object.keys(server).sort()).toMatchInlineSnapshot(`
    [
      "DatabaseLockedError",
      "MigrationError",
      "applyMigrations",
      "createAccessPoint",
      "createDatabase",
      "createMigration",
      "defaultModelPrices",
      "defaultPoolOptions",
      "diffMigrations",
      "getDiscoveryDocument",
      "getMigrationStatus",
      "seedDatabase",
      "version",
    ]
  `)
})
