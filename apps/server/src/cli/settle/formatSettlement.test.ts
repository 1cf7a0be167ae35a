import { expect, test } from 'vitest'
import { formatSettlement } from './formatSettlement.js'

const batchId = `0x${'1'.repeat(64)}` as const
const txHash = `0x${'2'.repeat(64)}` as const

test('a run: per pass, totals, transactions, and who is now suspended', () => {
  const text = formatSettlement({
    dryRun: false,
    batches: [
      {
        batchId,
        txHash,
        passes: 2,
        requestedMicroUsd: 2_050_000n,
        deductedMicroUsd: 2_010_000n,
        status: 'CONFIRMED',
        recovered: false,
      },
    ],
    passes: [
      {
        passId: 'b',
        tokenId: 3n,
        batchId,
        chargesMicroUsd: 50_000n,
        debtMicroUsd: 0n,
        requestedMicroUsd: 50_000n,
        deductedMicroUsd: 10_000n,
        shortfallMicroUsd: 40_000n,
      },
      {
        passId: 'a',
        tokenId: 1n,
        batchId,
        chargesMicroUsd: 1_500_000n,
        debtMicroUsd: 500_000n,
        requestedMicroUsd: 2_000_000n,
        deductedMicroUsd: 2_000_000n,
        shortfallMicroUsd: 0n,
      },
    ],
    totalRequestedMicroUsd: 2_050_000n,
    totalDeductedMicroUsd: 2_010_000n,
    recovered: 0,
    unresolved: 0,
  })
  expect(text.split('\n').slice(0, 6)).toEqual([
    'pass        charges   debt  requested  deducted  shortfall',
    '----------  -------  -----  ---------  --------  ---------',
    '#1            $1.50  $0.50      $2.00     $2.00      $0.00',
    '#3            $0.05  $0.00      $0.05     $0.01      $0.04',
    '----------  -------  -----  ---------  --------  ---------',
    '2 pass(es)    $1.55  $0.50      $2.05     $2.01      $0.04',
  ])
  expect(text).toContain(`${batchId}  CONFIRMED       2      $2.05     $2.01  ${txHash}`)
  expect(text).toContain('Settled $2.01 of $2.05 from 2 pass(es) in 1 transaction(s).')
  expect(text).toContain(
    '1 pass(es) were short and are suspended until a deposit covers their debt: #3 owes $0.04.',
  )
})

test('nothing to settle, in a run and a dry run', () => {
  const empty = {
    batches: [],
    passes: [],
    totalRequestedMicroUsd: 0n,
    totalDeductedMicroUsd: 0n,
    recovered: 0,
    unresolved: 0,
  }
  expect(formatSettlement({ ...empty, dryRun: false })).toBe(
    'Nothing to settle (no charges older than SETTLEMENT_DELAY, no debt).',
  )
  expect(formatSettlement({ ...empty, dryRun: true })).toContain('Dry run: nothing to settle')
})
