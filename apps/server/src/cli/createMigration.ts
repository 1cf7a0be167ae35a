// pnpm db:migration <name> — writes prisma/migrations/<timestamp>_<name>/migration.sql for the
// changes in prisma/schema.prisma. Needs no database: the diff runs in an in-memory PGlite.
import { InvalidInputError } from '@accesspoint/core'
import { createMigration } from '@accesspoint/server'
import { run } from './run.js'

await run(async (config) => {
  const name = process.argv[2]
  if (!name)
    throw new InvalidInputError(
      'Usage: pnpm db:migration <name>, e.g. pnpm db:migration add_pass_debt',
    )
  const result = await createMigration({
    schemaPath: config.schemaPath,
    migrationsDir: config.migrationsDir,
    name,
  })
  if (!result.created) {
    console.log('schema.prisma matches the migrations: nothing to create.')
    return
  }
  console.log(`Created ${result.path}:\n\n${result.sql}\nApply it with: pnpm db:migrate`)
})
