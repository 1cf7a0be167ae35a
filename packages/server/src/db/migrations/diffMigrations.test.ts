import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InvalidInputError } from '@accesspoint/core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { migrationsDir, schemaPath } from '../../../test/testDatabase.js'
import { createMigration } from './createMigration.js'
import { diffMigrations } from './diffMigrations.js'

let workDir: string
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'ap-diff-'))
})
afterAll(() => rm(workDir, { recursive: true, force: true }))

// The drift check: a schema.prisma change without its migration fails `pnpm test`.
test('the committed migrations produce exactly prisma/schema.prisma', async () => {
  const { sql } = await diffMigrations({ schemaPath, migrationsDir })
  expect(
    sql,
    `schema.prisma changed without a migration; run \`pnpm db:migration <name>\`:\n${sql}`,
  ).toBeNull()
})

// Several wasm schema-engine diffs in a row: slow on a busy 2-core machine, so it gets room.
test('a schema change becomes a new migration in Prisma layout, and then no drift remains', {
  timeout: 120_000,
}, async () => {
  const dir = join(workDir, 'migrations')
  const schema = join(workDir, 'schema.prisma')
  await cp(migrationsDir, dir, { recursive: true })
  await writeFile(
    schema,
    `${await readFile(schemaPath, 'utf8')}\nmodel Probe {\n  id Int @id\n  note String?\n}\n`,
  )
  const before = await readdir(dir)

  const result = await createMigration({
    schemaPath: schema,
    migrationsDir: dir,
    name: 'add_probe',
    now: new Date('2030-01-02T03:04:05Z'),
  })
  expect(result).toMatchObject({ created: true, migrationName: '20300102030405_add_probe' })
  expect(await readFile(join(dir, '20300102030405_add_probe', 'migration.sql'), 'utf8')).toContain(
    'CREATE TABLE "Probe"',
  )
  expect((await readdir(dir)).sort()).toEqual([...before, '20300102030405_add_probe'].sort())

  expect(await diffMigrations({ schemaPath: schema, migrationsDir: dir })).toEqual({ sql: null })
  expect(await createMigration({ schemaPath: schema, migrationsDir: dir, name: 'again' })).toEqual({
    created: false,
  })
})

test.each(['', 'Add Probe', '../escape', 'x'.repeat(201)])(
  'rejects the migration name %j',
  async (name) => {
    await expect(createMigration({ schemaPath, migrationsDir, name })).rejects.toBeInstanceOf(
      InvalidInputError,
    )
  },
)
