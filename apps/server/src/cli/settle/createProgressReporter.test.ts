import { expect, test } from 'vitest'
import { createProgressReporter } from './createProgressReporter.js'

const batchId = `0x${'1'.repeat(64)}` as const
const txHash = `0x${'2'.repeat(64)}` as const
const events = [
  { type: 'planned', passes: 2, totalMicroUsd: 3_000_000n, batches: 1 },
  { type: 'batch-written', batchId, passes: 2, requestedMicroUsd: 3_000_000n },
  { type: 'batch-sent', batchId, txHash, passes: 2 },
  {
    type: 'batch-confirmed',
    batchId,
    txHash,
    blockNumber: 12n,
    passes: 2,
    requestedMicroUsd: 3_000_000n,
    deductedMicroUsd: 2_500_000n,
    shortfalls: 1,
    shortfallMicroUsd: 500_000n,
  },
] as const

function capture(isTTY: boolean) {
  let text = ''
  const reporter = createProgressReporter({
    stream: {
      isTTY,
      columns: 200,
      write: (chunk: string) => {
        text += chunk
        return true
      },
    },
  })
  for (const event of events) reporter.onProgress(event)
  reporter.done()
  return text
}

test('elsewhere than a terminal: one plain line per event', () => {
  expect(capture(false).split('\n')).toEqual([
    'planned: 2 pass(es), $3.00 in ~1 batch(es)',
    `batch ${batchId} sent: tx ${txHash} (2 passes)`,
    `batch ${batchId} confirmed in block 12: $2.50 deducted, 1 pass(es) short by $0.50`,
    '',
  ])
})

test('on a terminal: the lines, and a bar redrawn under them', () => {
  const text = capture(true)
  expect(text).toContain('\n[########################] 2/2 passes, 1/1 batches, $2.50 deducted')
  expect(text).toContain('\n[------------------------] 0/2 passes, 0/1 batches, $0.00 deducted')
  // Each line overwrites the bar (carriage return), then the bar is drawn again below it.
  expect(text).toContain(`\rbatch ${batchId} sent`)
  expect(text.endsWith('\n')).toBe(true)
})
