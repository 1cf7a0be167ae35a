import type { PGlite } from '@electric-sql/pglite'
import type { Database } from '../db/createDatabase.js'

/** `(database, run)`. */
export type WithSettlementLockParameters<T> = [database: Database, run: () => Promise<T>]

export type WithSettlementLockReturnType<T> = { ran: true; value: T } | { ran: false }

/** What `run` throws, or the database's error when the lock cannot be taken. */
export type WithSettlementLockErrorType = Error

/**
 * The advisory lock key of the settlement worker: "APSETTLE" in ASCII, a fixed bigint so every
 * instance (and `pnpm settle`) contends for the same one.
 */
export const settlementLockKey = 0x4150534554544c45n

// PGlite is a single in-process session, and a session may take an advisory lock it already
// holds, so there the lock is this set of databases with a run in progress. (Its data folder
// is locked to one process, so no other process can run against it.)
const embeddedRuns = new WeakSet<PGlite>()

/**
 * Runs `run` only if no other settlement holds the lock, on this instance or any other sharing
 * the database: `pg_try_advisory_lock` on a connection of its own, held for the whole run and
 * released after it (or when that connection dies). Never waits: a second caller gets
 * `{ ran: false }` at once, which is what a schedule firing on every instance wants.
 *
 * @example
 * const outcome = await withSettlementLock(database, () => runSettlement({ database, chain, delayMs }))
 * if (!outcome.ran) log.info('another instance is settling')
 */
export async function withSettlementLock<T>(
  database: Database,
  run: () => Promise<T>,
): Promise<WithSettlementLockReturnType<T>> {
  if (database.kind === 'embedded') {
    if (embeddedRuns.has(database.pglite)) return { ran: false }
    embeddedRuns.add(database.pglite)
    try {
      return { ran: true, value: await run() }
    } finally {
      embeddedRuns.delete(database.pglite)
    }
  }

  const client = await database.pool.connect()
  // A server that drops this connection mid-run releases the lock; the run itself goes on,
  // which is safe (claims and batch ids make concurrent runs harmless), just not exclusive.
  const onError = () => {}
  client.on('error', onError)
  const key = settlementLockKey.toString()
  let healthy = true
  try {
    let locked: boolean
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS locked',
        [key],
      )
      locked = rows[0]?.locked === true
    } catch (error) {
      healthy = false
      throw error
    }
    if (!locked) return { ran: false }
    try {
      return { ran: true, value: await run() }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {
        // Closing the session releases every lock it holds.
        healthy = false
      })
    }
  } finally {
    client.off('error', onError)
    client.release(!healthy)
  }
}
