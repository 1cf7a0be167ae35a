import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { MigrationError } from '../../errors/MigrationError.js'
import { loadSchemaEngine } from './loadSchemaEngine.js'
import { readMigrations } from './readMigrations.js'

export type ApplyMigrationsParameters = {
  adapterFactory: SqlMigrationAwareDriverAdapterFactory
  migrationsDir: string
}

export type ApplyMigrationsReturnType = {
  /** Migrations applied by this call, oldest first; empty when the database was up to date. */
  appliedMigrationNames: string[]
}

export type ApplyMigrationsErrorType = MigrationError

/**
 * Applies pending migrations exactly as `prisma migrate deploy` does (same `_prisma_migrations`
 * rows and checksums), through Prisma's wasm engine so no native binary is needed.
 */
export async function applyMigrations({
  adapterFactory,
  migrationsDir,
}: ApplyMigrationsParameters): Promise<ApplyMigrationsReturnType> {
  const migrationsList = await readMigrations({ migrationsDir })
  const engine = await loadSchemaEngine({ adapterFactory })
  try {
    return await engine.applyMigrations({
      migrationsList,
      filters: { externalTables: [], externalEnums: [] },
    })
  } catch (cause) {
    throw new MigrationError('Applying database migrations failed.', { cause })
  } finally {
    engine.free()
  }
}
