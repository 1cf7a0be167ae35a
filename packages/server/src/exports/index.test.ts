import { expect, test } from 'vitest'
import * as server from './index.js'

test('exports', () => {
  expect(Object.keys(server).sort()).toMatchInlineSnapshot(`
    [
      "ChainUnavailableError",
      "DatabaseLockedError",
      "ForbiddenRoleError",
      "InvalidApiKeyError",
      "InvalidSignatureError",
      "MigrationError",
      "RateLimitedError",
      "SessionExpiredError",
      "UnauthenticatedError",
      "apiKeyPrefix",
      "applyMigrations",
      "createAccessPoint",
      "createAccessResolver",
      "createDatabase",
      "createMigration",
      "defaultModelPrices",
      "defaultPoolOptions",
      "defaultRoles",
      "diffMigrations",
      "getDiscoveryDocument",
      "getMigrationStatus",
      "parseRolesConfig",
      "seedDatabase",
      "sessionTokenPrefix",
      "verifySiweSignature",
      "version",
    ]
  `)
})
