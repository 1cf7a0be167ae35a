import { devAccounts } from '@accesspoint/contracts'
import {
  type StartDevChainReturnType as DevChain,
  startDevChain,
} from '@accesspoint/contracts/devChain'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/testDatabase.js'
import { createMetrics } from '../metrics/createMetrics.js'
import { withSettlementLock } from '../settlement/withSettlementLock.js'
import { createSettlementChain } from './createSettlementChain.js'
import { createSettlementRunner } from './createSettlementRunner.js'
import { SettlementBusyError } from './errors.js'

const quiet = { info: () => {}, warn: () => {}, error: () => {} }
const stats = { stats: () => ({}) as never }

describe('createSettlementRunner', () => {
  let chain: DevChain
  let db: TestDatabase
  beforeAll(async () => {
    chain = await startDevChain({ port: 0 })
    db = await createTestDatabase('embedded')
  })
  afterAll(async () => {
    await db?.dispose()
    await chain?.stop()
  })

  const create = (delayMs = 0) => {
    const metrics = createMetrics({ ledger: stats, access: stats })
    const runner = createSettlementRunner({
      database: db.database,
      chain: createSettlementChain({
        rpcUrl: chain.rpcUrl,
        chainId: chain.chainId,
        contract: chain.contracts.accessPass,
        privateKey: devAccounts[0].privateKey,
        pollingIntervalMs: 50,
      }),
      delayMs,
      metrics,
      logger: quiet,
    })
    const failures = async () =>
      (await metrics.registry.getSingleMetricAsString('accesspoint_settlement_failures_total'))
        .split('\n')
        .find((line) => line.startsWith('accesspoint_settlement_failures_total{kind="run"}'))
    return { runner, metrics, failures }
  }

  test('runs under the settlement lock: a second run meanwhile is skipped, or a CONFLICT', async () => {
    const { runner } = create()
    const held = await withSettlementLock(db.database, async () => {
      expect(await runner.run()).toEqual({ ran: false })
      await expect(runner.runOrThrow()).rejects.toThrow(SettlementBusyError)
      await expect(runner.reconcile()).rejects.toThrow(SettlementBusyError)
      // A dry run writes nothing, so it does not need the lock.
      return runner.run({ dryRun: true })
    })
    expect(held).toMatchObject({ ran: true, value: { ran: true, value: { dryRun: true } } })
    expect(await runner.run()).toMatchObject({ ran: true, value: { dryRun: false, batches: [] } })
  })

  test('a failed run is counted; one stopped by close() is not', async () => {
    const broken = create(-1)
    await expect(broken.runner.run()).rejects.toThrow('Invalid settlement parameters.')
    expect(await broken.failures()).toBe('accesspoint_settlement_failures_total{kind="run"} 1')

    const closed = create()
    closed.runner.close()
    await expect(closed.runner.run()).rejects.toMatchObject({ name: 'AbortError' })
    expect(await closed.failures()).toBeUndefined()
  })

  test('the chain clients settle with the key, on the configured chain', () => {
    const { runner } = create()
    expect(runner.chain.chainId).toBe(31337)
    expect(runner.chain.contract).toBe(chain.contracts.accessPass)
    expect(runner.chain.walletClient.account?.address).toBe(devAccounts[0].address)
    expect(runner.chain.publicClient.chain?.id).toBe(31337)
  })
})
