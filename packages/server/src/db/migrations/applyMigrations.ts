import { MigrationError } from '../../errors/MigrationError.js'
import type { Database } from '../createDatabase.js'
import { loadSchemaEngine } from './loadSchemaEngine.js'
import { readMigrations } from './readMigrations.js'

export type ApplyMigrationsParameters = {
  database: Database
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
  database,
  migrationsDir,
}: ApplyMigrationsParameters): Promise<ApplyMigrationsReturnType> {
  const migrationsList = await readMigrations({ migrationsDir })
  return database.withMigrationAdapter(async (adapterFactory) => {
    const { engine, resolveError } = await loadSchemaEngine({ adapterFactory })
    try {
      return await engine.applyMigrations({
        migrationsList,
        filters: { externalTables: [], externalEnums: [] },
      })
    } catch (cause) {
      throw new MigrationError('Applying database migrations failed.', {
        cause: resolveError(cause),
      })
    } finally {
      engine.free()
    }
  })
}
