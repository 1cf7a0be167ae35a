import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { listModelPrices } from '../src/billing/listModelPrices.js'
import type { ModelPriceRecord } from '../src/billing/types.js'
import { createDatabase, type Database } from '../src/db/createDatabase.js'
import { applyMigrations } from '../src/db/migrations/applyMigrations.js'
import { seedDatabase } from '../src/db/seed/seedDatabase.js'
import { postgresAdminUrl } from './postgresAdminUrl.js'

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const migrationsDir = `${repositoryRoot}prisma/migrations`
export const schemaPath = `${repositoryRoot}prisma/schema.prisma`

export type TestDatabaseKind = 'embedded' | 'postgres'
export const databaseKinds: TestDatabaseKind[] = ['embedded', 'postgres']

/** A fresh, empty PostgreSQL database for one test file; `drop()` removes it. */
export async function createEmptyPostgresDatabase(): Promise<{
  url: string
  drop(): Promise<void>
}> {
  const name = `ap_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: postgresAdminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  const url = new URL(postgresAdminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresAdminUrl })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await client.end()
    },
  }
}

export type TestDatabase = { database: Database; url?: string; dispose(): Promise<void> }

/** A migrated database of the given kind: in-memory PGlite, or a new PostgreSQL database. */
export async function createTestDatabase(
  kind: TestDatabaseKind,
  { migrate = true }: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (kind === 'embedded') {
    const database = await createDatabase({ kind: 'embedded' })
    if (migrate) await applyMigrations({ database, migrationsDir })
    return { database, dispose: () => database.close() }
  }
  const { url, drop } = await createEmptyPostgresDatabase()
  const database = await createDatabase({ kind: 'postgres', url, pool: { max: 5 } })
  if (migrate) await applyMigrations({ database, migrationsDir })
  return {
    database,
    url,
    async dispose() {
      await database.close()
      await drop()
    },
  }
}

/**
 * A migrated test database with the demo seed (prices, demo wallets), and the seeded price of
 * `dev-mini`: what the billing tests start from.
 */
export async function createSeededTestDatabase(
  kind: TestDatabaseKind,
): Promise<{ db: TestDatabase; price: ModelPriceRecord }> {
  const db = await createTestDatabase(kind)
  await seedDatabase({ database: db.database, demo: true })
  const prices = await listModelPrices({ database: db.database })
  const price = prices.find((p) => p.model === 'dev-mini')
  if (!price) throw new Error('the demo seed has no dev-mini price')
  return { db, price }
}

/** A PostgreSQL database nothing answers for (port 1): every query fails fast, as in an outage. */
export function createUnreachableDatabase(): Promise<Database> {
  return createDatabase({
    kind: 'postgres',
    url: 'postgresql://postgres@127.0.0.1:1/none',
    pool: { max: 1, connectionTimeoutMs: 500 },
  })
}
