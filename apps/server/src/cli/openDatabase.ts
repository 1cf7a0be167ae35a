import { applyMigrations, createDatabase, type Database } from '@accesspoint/server'
import type { ServerConfig } from '../config/loadConfig.js'

/** Opens the configured database for a CLI command; the embedded one is migrated first. */
export async function openDatabase(config: ServerConfig): Promise<Database> {
  const database = await createDatabase(config.database)
  if (database.kind === 'embedded') {
    await applyMigrations({ database, migrationsDir: config.migrationsDir })
  }
  return database
}
