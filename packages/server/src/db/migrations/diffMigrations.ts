import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { MigrationError } from '../../errors/MigrationError.js'
import { createPGliteAdapterFactory } from '../embedded/createPGliteAdapterFactory.js'
import { loadSchemaEngine } from './loadSchemaEngine.js'
import { readMigrations } from './readMigrations.js'

export type DiffMigrationsParameters = {
  schemaPath: string
  migrationsDir: string
}

export type DiffMigrationsReturnType = {
  /** SQL that takes a database from the committed migrations to `schema.prisma`; null if none. */
  sql: string | null
}

export type DiffMigrationsErrorType = MigrationError

/**
 * Compares the committed migrations with `schema.prisma`.
 *
 * The wasm engine cannot create shadow databases itself, so we play the shadow database: a
 * throwaway in-memory PGlite gets every committed migration, then the engine diffs that live
 * database against the schema. Used to write new migrations and to fail CI on drift.
 */
export async function diffMigrations({
  schemaPath,
  migrationsDir,
}: DiffMigrationsParameters): Promise<DiffMigrationsReturnType> {
  const content = await readFile(schemaPath, 'utf8')
  const files = [{ path: basename(schemaPath), content }]
  const filters = { externalTables: [], externalEnums: [] }
  const shadow = new PGlite()
  const { engine, resolveError } = await loadSchemaEngine({
    adapterFactory: createPGliteAdapterFactory(shadow),
    schema: { path: basename(schemaPath), content },
  })
  try {
    await engine.applyMigrations({
      migrationsList: await readMigrations({ migrationsDir }),
      filters,
    })
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: migrationsDir },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters,
    })
    // exitCode 2 means "there is a difference"; 0 means the migrations already match.
    return { sql: result.exitCode === 2 && result.stdout ? result.stdout : null }
  } catch (cause) {
    throw new MigrationError('Comparing the migrations with schema.prisma failed.', {
      cause: resolveError(cause),
    })
  } finally {
    engine.free()
    await shadow.close()
  }
}
