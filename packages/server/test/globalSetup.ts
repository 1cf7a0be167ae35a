import pg from 'pg'
import { postgresAdminUrl } from './postgresAdminUrl.js'

// Data-layer tests run against real PostgreSQL as well as PGlite. When it is missing the run
// fails here, once, with the fix, instead of every test failing with ECONNREFUSED.
export default async function setup(): Promise<void> {
  const client = new pg.Client({
    connectionString: postgresAdminUrl,
    connectionTimeoutMillis: 3_000,
  })
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${postgresAdminUrl.replace(/:[^:@/]+@/, ':***@')} (${String(error)}). ` +
        'Start it (`.ci/run` does, see README) or point TEST_DATABASE_URL at a server where the user may CREATE DATABASE.',
    )
  } finally {
    await client.end().catch(() => {})
  }
}
