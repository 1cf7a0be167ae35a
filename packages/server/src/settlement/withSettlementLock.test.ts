import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { createDatabase, type Database } from '../db/createDatabase.js'
import { settlementLockKey, withSettlementLock } from './withSettlementLock.js'

function deferred() {
  let resolve = () => {}
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(() => db?.dispose())

  test('of two concurrent runs only one proceeds; the other is told at once', async () => {
    const gate = deferred()
    let started = 0
    const first = withSettlementLock(db.database, async () => {
      started++
      await gate.promise
      return 'first'
    })
    // Let the first take the lock.
    while (started === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    const second = await withSettlementLock(db.database, async () => {
      started++
      return 'second'
    })
    expect(second).toEqual({ ran: false })
    gate.resolve()
    expect(await first).toEqual({ ran: true, value: 'first' })
    expect(started).toBe(1)
    // Released: the next run proceeds.
    expect(await withSettlementLock(db.database, async () => 'third')).toEqual({
      ran: true,
      value: 'third',
    })
  })

  test('a run that throws releases the lock and passes the error on', async () => {
    await expect(
      withSettlementLock(db.database, async () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await withSettlementLock(db.database, async () => 1)).toEqual({ ran: true, value: 1 })
  })

  if (kind === 'postgres')
    test('two instances (two pools) on one database: one runs; a dead holder frees the lock', async () => {
      const other: Database = await createDatabase({
        kind: 'postgres',
        url: db.url as string,
        pool: { max: 2 },
      })
      try {
        const gate = deferred()
        let holding = false
        const first = withSettlementLock(db.database, async () => {
          holding = true
          await gate.promise
        })
        while (!holding) await new Promise((resolve) => setTimeout(resolve, 5))
        expect(await withSettlementLock(other, async () => 'other')).toEqual({ ran: false })
        gate.resolve()
        await first
        expect(await withSettlementLock(other, async () => 'other')).toEqual({
          ran: true,
          value: 'other',
        })

        // The holder's connection dies (a crashed instance): the server drops its lock.
        const crashed = await createDatabase({ kind: 'postgres', url: db.url as string })
        const stuck = deferred()
        let locked = false
        const orphan = withSettlementLock(crashed, async () => {
          locked = true
          await stuck.promise
        }).catch(() => {})
        while (!locked) await new Promise((resolve) => setTimeout(resolve, 5))
        expect(await withSettlementLock(other, async () => 'other')).toEqual({ ran: false })
        await db.database.prisma.$executeRaw`
          SELECT pg_terminate_backend(pid, 5000) FROM pg_locks
          WHERE locktype = 'advisory' AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND ((classid::bigint << 32) | objid::bigint) = ${settlementLockKey}`
        // The backend releases its locks as it exits, a moment after the signal even with the
        // timeout above (seen in CI), so wait for the lock to come free rather than racing it.
        await vi.waitFor(
          async () =>
            expect(await withSettlementLock(other, async () => 'other')).toEqual({
              ran: true,
              value: 'other',
            }),
          { timeout: 5_000, interval: 50 },
        )
        stuck.resolve()
        await orphan
        await crashed.close()
      } finally {
        await other.close()
      }
    })
})
