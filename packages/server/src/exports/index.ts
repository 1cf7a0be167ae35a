// App
export {
  type AccessPoint,
  type AccessPointConfig,
  type CreateAccessPointReturnType,
  createAccessPoint,
} from '../createAccessPoint.js'
export type { AppRouter } from '../trpc/appRouter.js'
export { version } from '../version.js'

// Database
export {
  type CreateDatabaseParameters,
  type CreateDatabaseReturnType,
  type Database,
  type DatabasePoolOptions,
  createDatabase,
  defaultPoolOptions,
} from '../db/createDatabase.js'
export {
  type ApplyMigrationsErrorType,
  type ApplyMigrationsParameters,
  type ApplyMigrationsReturnType,
  applyMigrations,
} from '../db/migrations/applyMigrations.js'
export {
  type CreateMigrationParameters,
  type CreateMigrationReturnType,
  createMigration,
} from '../db/migrations/createMigration.js'
export {
  type DiffMigrationsParameters,
  type DiffMigrationsReturnType,
  diffMigrations,
} from '../db/migrations/diffMigrations.js'
export {
  type GetMigrationStatusParameters,
  type GetMigrationStatusReturnType,
  getMigrationStatus,
} from '../db/migrations/getMigrationStatus.js'
export {
  type SeedDatabaseParameters,
  type SeedDatabaseReturnType,
  seedDatabase,
} from '../db/seed/seedDatabase.js'
export { type ModelPriceInput, defaultModelPrices } from '../db/seed/defaultModelPrices.js'

// Discovery
export {
  type DiscoveryDocument,
  type GetDiscoveryDocumentParameters,
  getDiscoveryDocument,
} from '../http/getDiscoveryDocument.js'

// Errors
export { type DatabaseLockedErrorType, DatabaseLockedError } from '../errors/DatabaseLockedError.js'
export { type MigrationErrorType, MigrationError } from '../errors/MigrationError.js'
