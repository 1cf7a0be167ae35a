// pnpm db:migrate — applies pending migrations to DATABASE_URL, or to the embedded database.
import { applyMigrations, createDatabase } from '@accesspoint/server'
import { run } from './run.js'

await run(async (config) => {
  const database = await createDatabase(config.database)
  try {
    const { appliedMigrationNames } = await applyMigrations({
      database,
      migrationsDir: config.migrationsDir,
    })
    const target =
      config.database.kind === 'embedded'
        ? `embedded database (${config.database.dataDir})`
        : 'PostgreSQL'
    console.log(
      appliedMigrationNames.length === 0
        ? `${target}: already up to date.`
        : `${target}: applied ${appliedMigrationNames.length} migration(s):\n${appliedMigrationNames.map((name) => `  ${name}`).join('\n')}`,
    )
  } finally {
    await database.close()
  }
})
