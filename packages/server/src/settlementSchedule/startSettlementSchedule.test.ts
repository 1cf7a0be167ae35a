import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, test, vi } from 'vitest'
import type { SettlementRunner } from './createSettlementRunner.js'
import { startSettlementSchedule } from './startSettlementSchedule.js'

type Outcome = Awaited<ReturnType<SettlementRunner['run']>>

const result = (deducted: bigint): Outcome => ({
  ran: true,
  value: {
    dryRun: false,
    batches: deducted
      ? [
          {
            batchId: `0x${'1'.repeat(64)}`,
            passes: 1,
            requestedMicroUsd: deducted,
            deductedMicroUsd: deducted,
            status: 'CONFIRMED',
            recovered: false,
          },
        ]
      : [],
    passes: deducted
      ? [
          {
            passId: 'p',
            tokenId: 1n,
            batchId: `0x${'1'.repeat(64)}`,
            chargesMicroUsd: deducted,
            debtMicroUsd: 0n,
            requestedMicroUsd: deducted,
            deductedMicroUsd: deducted,
            shortfallMicroUsd: 0n,
          },
        ]
      : [],
    totalRequestedMicroUsd: deducted,
    totalDeductedMicroUsd: deducted,
    recovered: 0,
    unresolved: 0,
  },
})

const logger = () => ({ info: vi.fn(), debug: vi.fn(), error: vi.fn() })

describe('startSettlementSchedule', () => {
  test('runs after the initial delay, then every interval, one run at a time', async () => {
    let active = 0
    let most = 0
    const run = vi.fn(async () => {
      active++
      most = Math.max(most, active)
      await sleep(30)
      active--
      return result(1_500_000n)
    })
    const log = logger()
    const schedule = startSettlementSchedule({
      runner: { run },
      intervalMs: 10,
      initialDelayMs: 5,
      logger: log,
    })
    await sleep(150)
    await schedule.stop()
    // Each run takes 30 ms and the next starts 10 ms after it ends: never two at once.
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(2)
    expect(most).toBe(1)
    expect(log.info).toHaveBeenCalledWith(
      expect.objectContaining({ batches: 1, passes: 1, deducted: '$1.50', shortfalls: 0 }),
      'settlement: $1.50 deducted from 1 pass(es) in 1 batch(es)',
    )
  })

  test('a failed run is logged and the next one still happens; a busy lock is skipped quietly', async () => {
    const outcomes: (() => Promise<Outcome>)[] = [
      () => Promise.reject(new Error('rpc down')),
      () => Promise.resolve({ ran: false }),
      () => Promise.resolve(result(0n)),
    ]
    const run = vi.fn(() => (outcomes.shift() ?? (() => Promise.resolve(result(0n))))())
    const log = logger()
    const schedule = startSettlementSchedule({
      runner: { run },
      intervalMs: 5,
      initialDelayMs: 0,
      logger: log,
    })
    await vi.waitFor(() => expect(run.mock.calls.length).toBeGreaterThanOrEqual(3))
    await schedule.stop()
    expect(log.error).toHaveBeenCalledWith(
      { err: expect.objectContaining({ message: 'rpc down' }) },
      'settlement run failed; retrying at the next interval',
    )
    expect(log.debug).toHaveBeenCalledWith('settlement skipped: another instance is settling')
    expect(log.debug).toHaveBeenCalledWith(
      expect.objectContaining({ batches: 0 }),
      'settlement: nothing to settle',
    )
  })

  test('stop aborts the run in progress, waits for it, and schedules no more', async () => {
    let signal: AbortSignal | undefined
    const run = vi.fn(
      (options?: { signal?: AbortSignal | undefined }) =>
        new Promise<Outcome>((_resolve, reject) => {
          signal = options?.signal
          signal?.addEventListener('abort', () =>
            setTimeout(() => reject(new Error('aborted')), 20),
          )
        }),
    )
    const log = logger()
    const schedule = startSettlementSchedule({
      runner: { run },
      intervalMs: 5,
      initialDelayMs: 0,
      logger: log,
    })
    await vi.waitFor(() => expect(run).toHaveBeenCalledTimes(1))
    const started = Date.now()
    await schedule.stop()
    expect(signal?.aborted).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(15)
    expect(log.info).toHaveBeenCalledWith('settlement run stopped for shutdown')
    expect(log.error).not.toHaveBeenCalled()
    await sleep(30)
    expect(run).toHaveBeenCalledTimes(1)
  })

  test('stopped before its first run, it never runs', async () => {
    const run = vi.fn(() => Promise.resolve(result(0n)))
    const schedule = startSettlementSchedule({ runner: { run }, intervalMs: 10, logger: logger() })
    await schedule.stop()
    await sleep(30)
    expect(run).not.toHaveBeenCalled()
  })
})
