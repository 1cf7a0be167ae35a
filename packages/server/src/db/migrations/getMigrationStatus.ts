import type { Database } from '../createDatabase.js'

export type GetMigrationStatusParameters = {
  database: Database
  /** Migration names expected to be applied (the committed `prisma/migrations` folders). */
  expected: readonly string[]
}

export type GetMigrationStatusReturnType = {
  applied: string[]
  pending: string[]
  /** Migrations that started but never finished (a failed `migrate deploy`). */
  failed: string[]
}

/**
 * Reads `_prisma_migrations`, the table `prisma migrate deploy` and our wasm engine both write.
 * Throws when the database cannot be reached; a database never migrated has every migration pending.
 */
export async function getMigrationStatus({
  database,
  expected,
}: GetMigrationStatusParameters): Promise<GetMigrationStatusReturnType> {
  const [table] = await database.prisma.$queryRaw<{ exists: boolean }[]>`
    SELECT to_regclass('_prisma_migrations') IS NOT NULL AS "exists"`
  if (!table?.exists) return { applied: [], pending: [...expected], failed: [] }

  const rows = await database.prisma.$queryRaw<{ name: string; finished: boolean }[]>`
    SELECT migration_name AS "name", finished_at IS NOT NULL AS "finished"
    FROM _prisma_migrations WHERE rolled_back_at IS NULL`
  const applied = rows.filter((row) => row.finished).map((row) => row.name)
  const failed = rows.filter((row) => !row.finished).map((row) => row.name)
  const done = new Set(applied)
  return { applied, pending: expected.filter((name) => !done.has(name)), failed }
}
