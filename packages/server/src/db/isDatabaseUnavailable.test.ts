import { createServer } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTcpProxy, type TcpProxy, throughProxy } from '../../test/createTcpProxy.js'
import { createTestDatabase, type TestDatabase } from '../../test/testDatabase.js'
import { ChainUnavailableError } from '../access/errors.js'
import { createDatabase } from './createDatabase.js'
import { isDatabaseUnavailable } from './isDatabaseUnavailable.js'

// The outages are real ones: Prisma, pg and Node failing against a server that is absent, drops
// the connection or refuses new ones.

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (error: unknown) => error,
  )

describe('outages', () => {
  let db: TestDatabase
  let proxy: TcpProxy
  beforeAll(async () => {
    db = await createTestDatabase('postgres')
    const target = new URL(db.url ?? '')
    proxy = await createTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
  })
  afterAll(async () => {
    await proxy?.close()
    await db?.dispose()
  })

  test('nothing listens on the port (Prisma through the pg adapter)', async () => {
    const database = await createDatabase({
      kind: 'postgres',
      url: `postgresql://postgres@127.0.0.1:${await closedPort()}/nowhere`,
      pool: { max: 1, connectionTimeoutMs: 2_000 },
    })
    try {
      expect(isDatabaseUnavailable(await failureOf(database.prisma.$queryRaw`SELECT 1`))).toBe(true)
      expect(isDatabaseUnavailable(await failureOf(database.prisma.wallet.count()))).toBe(true)
    } finally {
      await database.close()
    }
  })

  test('the server drops an open connection, and then refuses new ones', async () => {
    const database = await createDatabase({
      kind: 'postgres',
      url: throughProxy(db.url ?? '', proxy),
      pool: { max: 1, connectionTimeoutMs: 2_000 },
    })
    const client = new pg.Client({ connectionString: throughProxy(db.url ?? '', proxy) })
    client.on('error', () => {})
    try {
      await database.prisma.wallet.count()
      await client.connect()
      proxy.down()
      expect(isDatabaseUnavailable(await failureOf(database.prisma.wallet.count()))).toBe(true)
      expect(isDatabaseUnavailable(await failureOf(database.prisma.wallet.count()))).toBe(true)
      expect(isDatabaseUnavailable(await failureOf(client.query('SELECT 1')))).toBe(true)
    } finally {
      proxy.up()
      await client.end().catch(() => {})
      await database.close()
    }
  })
})

describe('not outages', () => {
  test('a statement the database refuses', async () => {
    const db = await createTestDatabase('embedded')
    try {
      const { prisma } = db.database
      const address = '0x0000000000000000000000000000000000000001'
      await prisma.wallet.create({ data: { address } })
      expect(
        isDatabaseUnavailable(await failureOf(prisma.wallet.create({ data: { address } }))),
      ).toBe(false)
      expect(isDatabaseUnavailable(await failureOf(prisma.$queryRaw`SELECT 1/0`))).toBe(false)
    } finally {
      await db.dispose()
    }
  })

  test('our own errors, even when an unreachable host caused them', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8545'), {
      code: 'ECONNREFUSED',
    })
    const chain = new ChainUnavailableError({ chainId: 1, reason: String(refused) })
    Object.defineProperty(chain, 'cause', { value: refused })
    expect(isDatabaseUnavailable(refused)).toBe(true)
    expect(isDatabaseUnavailable(chain)).toBe(false)
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false)
    expect(isDatabaseUnavailable(undefined)).toBe(false)
  })
})
