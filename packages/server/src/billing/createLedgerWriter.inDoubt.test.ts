import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { createTcpProxy, type TcpProxy, throughProxy } from '../../test/createTcpProxy.js'
import { createTestDatabase, type TestDatabase } from '../../test/testDatabase.js'
import { createDatabase, type Database } from '../db/createDatabase.js'
import { demoWalletAddresses } from '../db/seed/defaultModelPrices.js'
import { seedDatabase } from '../db/seed/seedDatabase.js'
import { createLedgerWriter } from './createLedgerWriter.js'
import { listModelPrices } from './listModelPrices.js'
import { placeHold } from './placeHold.js'
import type { BillingLogger } from './types.js'

// A batch's COMMIT reaches PostgreSQL, which commits, and then the connection drops before the
// reply arrives (a restart, a network cut). The writer cannot tell and retries. Its callers must
// still learn what was charged: an answer reported as costing nothing was in fact charged.

const wallet = demoWalletAddresses[0]
let db: TestDatabase
let proxy: TcpProxy
let proxied: Database

beforeAll(async () => {
  db = await createTestDatabase('postgres')
  await seedDatabase({ database: db.database, demo: true })
  const target = new URL(db.url ?? '')
  proxy = await createTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
  proxied = await createDatabase({
    kind: 'postgres',
    url: throughProxy(db.url ?? '', proxy),
    pool: { max: 2, connectionTimeoutMs: 2_000 },
  })
})
afterAll(async () => {
  await proxied?.close()
  await proxy?.close()
  await db?.dispose()
})

test('a capture and a release whose commit was not acknowledged report what was written', async () => {
  const { prisma } = db.database
  const price = (await listModelPrices({ database: db.database })).find(
    (row) => row.model === 'dev-mini',
  )
  if (!price) throw new Error('dev-mini is seeded')
  const pass = await prisma.pass.create({
    data: {
      chainId: 31337,
      contractAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      tokenId: '1',
      creditMicroUsd: 50_000_000n,
    },
  })
  for (const requestId of ['answered', 'failed'])
    await placeHold({
      database: db.database,
      requestId,
      walletAddress: wallet,
      pass: { id: pass.id, creditMicroUsd: pass.creditMicroUsd },
      model: price.model,
      priceId: price.id,
      holdMicroUsd: 1_000n,
      holdTtlMs: 60_000,
    })

  const logger = { info: vi.fn<BillingLogger['info']>(), warn: vi.fn(), error: vi.fn() }
  // A batch of both: one statement, committed on its own (no COMMIT message): its reply is lost.
  const ledger = createLedgerWriter({
    database: proxied,
    maxDelayMs: 20,
    retry: { initialMs: 10, maxMs: 50 },
    logger,
  })
  proxy.swallowReplyTo('WITH v AS')
  const [captured, released] = await Promise.all([
    ledger.capture({
      requestId: 'answered',
      chargeMicroUsd: 700n,
      usage: { inputTokens: 10, outputTokens: 20 },
      finishReason: 'stop',
    }),
    ledger.release({ requestId: 'failed' }),
  ])
  // The first attempt did fail as far as the writer could tell.
  expect(ledger.stats().failedAttempts).toBeGreaterThanOrEqual(1)
  expect(captured).toEqual({ changed: true, chargeMicroUsd: 700n })
  expect(released).toEqual({ changed: true, chargeMicroUsd: null })

  // Written once: one charge, the pass moved once.
  expect(
    await prisma.ledgerEntry.findMany({
      orderBy: { requestId: 'asc' },
      select: { requestId: true, status: true, chargeMicroUsd: true },
    }),
  ).toEqual([
    { requestId: 'answered', status: 'CHARGED', chargeMicroUsd: 700n },
    { requestId: 'failed', status: 'RELEASED', chargeMicroUsd: null },
  ])
  expect(await prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })).toMatchObject({
    heldMicroUsd: 0n,
    pendingMicroUsd: 700n,
  })

  // A capture repeated later is still a no-op, never a second charge.
  expect(
    await ledger.capture({
      requestId: 'answered',
      chargeMicroUsd: 700n,
      usage: { inputTokens: 10, outputTokens: 20 },
    }),
  ).toEqual({ changed: false, chargeMicroUsd: null })
  await ledger.close()
})
