import { randomBytes } from 'node:crypto'
import { createDatabase } from '@accesspoint/server'

/** The test PostgreSQL server's admin URL (TEST_DATABASE_URL, default the local one). */
export const adminUrl =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'

/** A new, empty database named `<prefix>_<pid>_<random>`; `drop()` removes it. */
export async function createPostgresDatabase(
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`
  const run = async (sql: string) => {
    const admin = await createDatabase({ kind: 'postgres', url: adminUrl })
    try {
      await admin.prisma.$executeRawUnsafe(sql)
    } finally {
      await admin.close()
    }
  }
  await run(`CREATE DATABASE "${name}"`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) }
}
