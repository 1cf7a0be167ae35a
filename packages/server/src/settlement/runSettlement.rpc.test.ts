import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createRpcProxy, type RpcProxy } from '../../test/createRpcProxy.js'
import {
  addCharges,
  createSettlementFixture,
  type SettlementFixture,
} from '../../test/settlementFixture.js'
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../test/testDatabase.js'
import { sleep } from './internal.js'
import { type RunSettlementParameters, runSettlement } from './runSettlement.js'
import type { SettlementLogger, SettlementProgressEvent } from './types.js'

const silent: SettlementLogger = { info() {}, warn() {}, error() {} }
const credit = 1_000_000n
const charged = 25_000n

let fixture: SettlementFixture
let proxy: RpcProxy
beforeAll(async () => {
  fixture = await createSettlementFixture()
  proxy = await createRpcProxy(fixture.devChain.rpcUrl)
})
afterAll(async () => {
  await proxy?.close()
  await fixture?.stop()
})

// The chain keeps running; only the RPC endpoint in front of it (the proxy) fails.
describe.each(databaseKinds)('%s database', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(kind)
  })
  afterAll(async () => {
    proxy.up()
    await db?.dispose()
  })

  async function passesWithCharges(count = 12) {
    const tokenIds = await fixture.mintPasses(Array(count).fill(credit))
    await addCharges({
      database: db.database,
      chainId: fixture.devChain.chainId,
      contract: fixture.devChain.contracts.accessPass,
      owner: fixture.devChain.accounts.holders[2].address,
      passes: tokenIds.map((tokenId) => ({ tokenId, charges: [charged] })),
      capturedAt: new Date(Date.now() - 3_600_000),
    })
    return tokenIds
  }

  function run(overrides: Partial<RunSettlementParameters> = {}) {
    return runSettlement({
      database: db.database,
      chain: fixture.settlementChain({ rpcUrl: proxy.url }),
      delayMs: 60_000,
      // Small batches: several transactions, so an outage lands between and inside them.
      batch: { minPasses: 4, maxPasses: 4 },
      logger: silent,
      ...overrides,
    })
  }

  async function expectSettledOnce(tokenIds: bigint[]) {
    for (const tokenId of tokenIds) expect(await fixture.creditOf(tokenId)).toBe(credit - charged)
    expect(await db.database.prisma.ledgerEntry.count({ where: { settledAt: null } })).toBe(0)
  }

  test('the first requests fail: the run backs off and completes', async () => {
    const tokenIds = await passesWithCharges()
    proxy.failNext(5)
    const events: SettlementProgressEvent[] = []
    const result = await run({
      resilience: { retry: { initialDelayMs: 20, maxDelayMs: 200 } },
      onProgress: (event) => events.push(event),
    })
    const retries = events.filter((event) => event.type === 'rpc-retry')
    expect(retries.map((event) => event.attempt)).toEqual([1, 2, 3, 4, 5])
    expect(retries[0]).toMatchObject({
      operation: 'getChainId',
      error: expect.stringContaining('HTTP 503'),
    })
    expect(result.batches.map((batch) => batch.status)).toEqual([
      'CONFIRMED',
      'CONFIRMED',
      'CONFIRMED',
    ])
    await expectSettledOnce(tokenIds)
  })

  test('the RPC goes down in the middle of a batch and comes back: retried, settled once', async () => {
    const tokenIds = await passesWithCharges()
    const events: SettlementProgressEvent[] = []
    const transactions = (await fixture.settleTransactions()).length
    let outage: Promise<void> | undefined
    const result = await run({
      resilience: {
        retry: { maxAttempts: 12, initialDelayMs: 50, maxDelayMs: 300 },
        breaker: { consecutiveFailures: 20 },
      },
      onProgress(event) {
        events.push(event)
        // Right after the first broadcast: the receipt cannot be read for a second.
        if (event.type === 'batch-sent' && !outage) {
          proxy.down('reset')
          outage = sleep(1_000).then(() => proxy.up())
        }
      },
    })
    await outage
    const retries = events.filter((event) => event.type === 'batch-retry')
    expect(retries.length).toBeGreaterThan(1)
    expect(retries[0]).toMatchObject({ error: expect.stringMatching(/^getTransactionReceipt: /) })
    expect(result.batches.map((batch) => batch.status)).toEqual([
      'CONFIRMED',
      'CONFIRMED',
      'CONFIRMED',
    ])
    expect(await fixture.settleTransactions()).toHaveLength(transactions + 3)
    await expectSettledOnce(tokenIds)
  })

  test('an RPC that stays down stops the run with a clear error, and never leaks its URL', async () => {
    const tokenIds = await passesWithCharges(4)
    proxy.down()
    const error = await run({
      resilience: {
        retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
        breaker: { consecutiveFailures: 100 },
      },
    }).catch((e: unknown) => e)
    proxy.up()
    expect(error).toMatchObject({
      name: 'SettlementChainUnavailableError',
      code: 'CHAIN_UNAVAILABLE',
      reason: 'rpc',
      operation: 'getChainId',
      shortMessage: expect.stringContaining('did not answer (getChainId) after several attempts'),
    })
    expect((error as Error).message).not.toContain('127.0.0.1')
    await run()
    await expectSettledOnce(tokenIds)
  })

  test('with the circuit breaker open, runs fail fast without calling the RPC; a probe closes it', async () => {
    const tokenIds = await passesWithCharges(4)
    // One chain (one public client) for every run: the circuit belongs to the endpoint.
    const chain = fixture.settlementChain({ rpcUrl: proxy.url })
    const resilience = {
      retry: { maxAttempts: 5, initialDelayMs: 10, maxDelayMs: 20 },
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 1_000 },
    }
    proxy.down()
    const seen = proxy.methods.length
    const opened = await run({ chain, resilience }).catch((e: unknown) => e)
    expect(opened).toMatchObject({
      name: 'SettlementChainUnavailableError',
      reason: 'circuit-open',
      retryAfterSeconds: 1,
    })
    // Three failures opened it; the retries after that did not reach the endpoint.
    expect(proxy.methods.length - seen).toBe(3)

    const started = performance.now()
    const again = await run({ chain, resilience }).catch((e: unknown) => e)
    expect(again).toMatchObject({ reason: 'circuit-open' })
    expect((again as Error).message).toContain('circuit breaker is open')
    expect(performance.now() - started).toBeLessThan(500)
    expect(proxy.methods.length - seen).toBe(3)

    proxy.up()
    await sleep(1_100)
    const result = await run({ chain, resilience })
    expect(result.batches).toEqual([expect.objectContaining({ status: 'CONFIRMED', passes: 4 })])
    await expectSettledOnce(tokenIds)
  })
})
