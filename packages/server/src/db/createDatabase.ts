import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import pg from 'pg'
import lockfile from 'proper-lockfile'
import { DatabaseLockedError } from '../errors/DatabaseLockedError.js'
import { PrismaClient } from '../generated/prisma/client.js'
import { createPGliteAdapterFactory } from './embedded/createPGliteAdapterFactory.js'

export type DatabasePoolOptions = {
  /** Most connections this process opens. */
  max: number
  /** Closes a connection idle for this long. */
  idleTimeoutMs: number
  /** Gives up connecting after this long, so a dead database fails fast instead of hanging. */
  connectionTimeoutMs: number
}

export type CreateDatabaseParameters =
  | {
      kind: 'postgres'
      /** `postgresql://user:password@host:5432/db` */
      url: string
      pool?: Partial<DatabasePoolOptions> | undefined
    }
  | {
      kind: 'embedded'
      /** PGlite data folder; omit for an in-memory database (tests). */
      dataDir?: string | undefined
    }

type DatabaseBase = {
  prisma: PrismaClient
  /**
   * Runs `fn` with a driver adapter for the schema engine (migrations), on a connection of its
   * own that is closed afterwards: Prisma's migration lock is a session advisory lock, so a
   * connection left open would hold it and stall the next migration for its 10 s timeout.
   */
  withMigrationAdapter<T>(
    fn: (adapterFactory: SqlMigrationAwareDriverAdapterFactory) => Promise<T>,
  ): Promise<T>
  /**
   * One SQL statement straight to the driver (the pg pool, or PGlite), for the request path's
   * batch statements: Prisma's query engine costs more CPU per statement than the statement
   * itself on loopback (measured: `$queryRaw` ~0.6 ms vs ~0.16 ms on the pool, and its client
   * runtime was the largest item of a metered request's profile). Rows come as the driver parses
   * them: cast BIGINT columns to text in SQL and read them with `BigInt()`, which both drivers
   * then agree on. A failing statement rejects with the driver's error (SQLSTATE in `code`).
   * `name` makes it a prepared statement on PostgreSQL: parsed and planned once per connection
   * instead of on every call (give each distinct text its own name).
   */
  query<Row>(text: string, values?: readonly unknown[], name?: string): Promise<Row[]>
  close(): Promise<void>
}

export type Database =
  | (DatabaseBase & { kind: 'postgres'; pool: pg.Pool })
  | (DatabaseBase & { kind: 'embedded'; pglite: PGlite })

export type CreateDatabaseReturnType = Database

export const defaultPoolOptions: DatabasePoolOptions = {
  max: 10,
  idleTimeoutMs: 10_000,
  connectionTimeoutMs: 5_000,
}

/**
 * Opens the database: PostgreSQL through `pg` (production) or PGlite in-process (zero-setup
 * default). Both sit behind the same Prisma client, so every repository runs on either.
 */
export async function createDatabase(
  parameters: CreateDatabaseParameters,
): Promise<CreateDatabaseReturnType> {
  if (parameters.kind === 'postgres') {
    const options = { ...defaultPoolOptions, ...parameters.pool }
    const pool = new pg.Pool({
      connectionString: parameters.url,
      max: options.max,
      idleTimeoutMillis: options.idleTimeoutMs,
      connectionTimeoutMillis: options.connectionTimeoutMs,
    })
    // An idle client that loses its server emits 'error' on the pool; without a listener Node
    // would crash the process. The next query reports the outage to its caller instead.
    pool.on('error', () => {})
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) })
    return {
      kind: 'postgres',
      prisma,
      pool,
      query: async (text, values, name) =>
        (await pool.query({ text, values: values as unknown[], ...(name ? { name } : {}) })).rows,
      async withMigrationAdapter(fn) {
        const migrationPool = new pg.Pool({
          connectionString: parameters.url,
          max: 1,
          connectionTimeoutMillis: options.connectionTimeoutMs,
        })
        migrationPool.on('error', () => {})
        try {
          return await fn(new PrismaPg(migrationPool))
        } finally {
          await migrationPool.end()
        }
      },
      async close() {
        await prisma.$disconnect()
        await pool.end()
      },
    }
  }

  const dataDir = parameters.dataDir ? resolve(parameters.dataDir) : undefined
  let release: (() => Promise<void>) | undefined
  if (dataDir) {
    await mkdir(dataDir, { recursive: true })
    release = await lockfile
      .lock(dataDir, { lockfilePath: `${dataDir}.lock`, stale: 15_000, update: 5_000 })
      .catch((cause: unknown) => {
        throw new DatabaseLockedError({ dataDir, cause })
      })
  }
  try {
    const pglite = await PGlite.create(dataDir ?? 'memory://')
    const adapter = createPGliteAdapterFactory(pglite)
    const prisma = new PrismaClient({ adapter })
    return {
      kind: 'embedded',
      prisma,
      pglite,
      // PGlite runs a statement only between Prisma's transactions on the same connection.
      query: async <Row>(text: string, values?: readonly unknown[]) =>
        (await pglite.query<Row>(text, values as unknown[])).rows,
      // PGlite is one in-process connection, shared with the Prisma client.
      withMigrationAdapter: (fn) => fn(adapter),
      async close() {
        await prisma.$disconnect()
        await pglite.close()
        await release?.()
      },
    }
  } catch (error) {
    await release?.()
    throw error
  }
}
