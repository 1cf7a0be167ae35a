import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  createTestDatabase,
  databaseKinds,
  migrationsDir,
  type TestDatabase,
} from '../../../test/testDatabase.js'
import { MigrationError } from '../../errors/MigrationError.js'
import { applyMigrations } from './applyMigrations.js'
import { getMigrationStatus } from './getMigrationStatus.js'
import { readMigrations } from './readMigrations.js'

const committed = (await readMigrations({ migrationsDir })).migrationDirectories.map((m) => m.path)

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  let brokenDir: string
  beforeAll(async () => {
    db = await createTestDatabase(kind, { migrate: false })
    brokenDir = await mkdtemp(join(tmpdir(), 'ap-migrations-'))
  })
  afterAll(async () => {
    await db.dispose()
    await rm(brokenDir, { recursive: true, force: true })
  })

  test('a new database has every committed migration pending', async () => {
    expect(committed.length).toBeGreaterThan(0)
    expect(await getMigrationStatus({ database: db.database, expected: committed })).toEqual({
      applied: [],
      pending: committed,
      failed: [],
    })
  })

  test('applies the committed migrations once, recorded as prisma migrate deploy records them', async () => {
    expect(await applyMigrations({ database: db.database, migrationsDir })).toEqual({
      appliedMigrationNames: committed,
    })
    expect(await applyMigrations({ database: db.database, migrationsDir })).toEqual({
      appliedMigrationNames: [],
    })
    const rows = await db.database.prisma.$queryRaw<
      { migration_name: string; checksum: string; applied_steps_count: number }[]
    >`SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`
    const expected = await Promise.all(
      committed.map(async (name) => ({
        migration_name: name,
        // Prisma's checksum: sha256 of migration.sql; matching it keeps `migrate deploy` usable.
        checksum: createHash('sha256')
          .update(await readFile(join(migrationsDir, name, 'migration.sql')))
          .digest('hex'),
        applied_steps_count: 1,
      })),
    )
    expect(rows).toEqual(expected)
    expect(await getMigrationStatus({ database: db.database, expected: committed })).toMatchObject({
      pending: [],
      failed: [],
    })
  })

  test('a migration that fails is reported, recorded as failed, and blocks readiness', async () => {
    await cp(migrationsDir, brokenDir, { recursive: true })
    const name = '29991231000000_broken'
    await mkdir(join(brokenDir, name))
    await writeFile(
      join(brokenDir, name, 'migration.sql'),
      'ALTER TABLE "NoSuchTable" ADD COLUMN x INT;',
    )
    const error = await applyMigrations({
      database: db.database,
      migrationsDir: brokenDir,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationError)
    expect((error as MigrationError).details).toContain('NoSuchTable')
    const status = await getMigrationStatus({
      database: db.database,
      expected: [...committed, name],
    })
    expect(status.failed).toEqual([name])
    expect(status.pending).toEqual([name])
  })
})
