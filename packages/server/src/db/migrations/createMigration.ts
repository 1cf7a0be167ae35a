import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { InvalidInputError } from '@accesspoint/core'
import { diffMigrations } from './diffMigrations.js'
import { migrationLockfileContent, migrationLockfileName } from './readMigrations.js'

export type CreateMigrationParameters = {
  schemaPath: string
  migrationsDir: string
  /** Short snake_case description, e.g. `add_pass_debt`. */
  name: string
  /** Defaults to now; the directory is named `<UTC yyyymmddhhmmss>_<name>` like Prisma's. */
  now?: Date | undefined
}

export type CreateMigrationReturnType =
  | { created: true; migrationName: string; path: string; sql: string }
  | { created: false }

/** Writes a new migration for whatever `schema.prisma` changed since the last one. */
export async function createMigration({
  schemaPath,
  migrationsDir,
  name,
  now = new Date(),
}: CreateMigrationParameters): Promise<CreateMigrationReturnType> {
  if (!/^[a-z0-9][a-z0-9_]{0,199}$/.test(name)) {
    throw new InvalidInputError(
      `Migration name "${name}" is not allowed. Use lower-case letters, digits and underscores, e.g. add_pass_debt.`,
    )
  }
  const { sql } = await diffMigrations({ schemaPath, migrationsDir })
  if (sql === null) return { created: false }

  const timestamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  const migrationName = `${timestamp}_${name}`
  const dir = join(migrationsDir, migrationName)
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'migration.sql'), sql)
  await writeFile(join(migrationsDir, migrationLockfileName), migrationLockfileContent)
  return { created: true, migrationName, path: join(dir, 'migration.sql'), sql }
}
