// App
export {
  type AccessPoint,
  type AccessPointConfig,
  type CreateAccessPointReturnType,
  createAccessPoint,
} from '../createAccessPoint.js'
// Database
export {
  type CreateDatabaseParameters,
  type CreateDatabaseReturnType,
  createDatabase,
  type Database,
  type DatabasePoolOptions,
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
export { defaultModelPrices, type ModelPriceInput } from '../db/seed/defaultModelPrices.js'
export {
  type SeedDatabaseParameters,
  type SeedDatabaseReturnType,
  seedDatabase,
} from '../db/seed/seedDatabase.js'
// Errors
export { DatabaseLockedError, type DatabaseLockedErrorType } from '../errors/DatabaseLockedError.js'
export { MigrationError, type MigrationErrorType } from '../errors/MigrationError.js'

// Discovery
export {
  type DiscoveryDocument,
  type GetDiscoveryDocumentParameters,
  getDiscoveryDocument,
} from '../http/getDiscoveryDocument.js'
export type { AppRouter } from '../trpc/appRouter.js'
export { version } from '../version.js'
