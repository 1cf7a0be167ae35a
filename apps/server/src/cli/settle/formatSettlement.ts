import { formatUsd } from '@accesspoint/core'
import type { SettlementRunner } from '@accesspoint/server'
import { formatTable } from './formatTable.js'

export type FormatSettlementParameters = Awaited<ReturnType<SettlementRunner['runOrThrow']>>

export type FormatSettlementReturnType = string

const usd = (amount: bigint) => formatUsd(amount)
const sum = <item>(items: readonly item[], amount: (item: item) => bigint) =>
  items.reduce((total, item) => total + amount(item), 0n)

/**
 * What `pnpm settle` prints at the end: per pass and in total, then the batches with their
 * transactions. A dry run shows what would be asked of each pass (nothing is deducted yet).
 */
export function formatSettlement(result: FormatSettlementParameters): FormatSettlementReturnType {
  const passes = [...result.passes].sort((a, b) =>
    a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0,
  )
  if (passes.length === 0 && result.batches.length === 0)
    return [
      result.dryRun
        ? 'Dry run: nothing to settle (no charges older than SETTLEMENT_DELAY, no debt).'
        : 'Nothing to settle (no charges older than SETTLEMENT_DELAY, no debt).',
      ...(result.recovered ? [`Resumed ${result.recovered} batch(es) of an earlier run.`] : []),
    ].join('\n')

  if (result.dryRun)
    return [
      'Dry run: nothing was written or sent. Would settle:',
      '',
      formatTable({
        headers: ['pass', 'charges', 'debt', 'would request'],
        rows: passes.map((pass) => [
          `#${pass.tokenId}`,
          usd(pass.chargesMicroUsd),
          usd(pass.debtMicroUsd),
          usd(pass.requestedMicroUsd),
        ]),
        footer: [
          [
            `${passes.length} pass(es)`,
            usd(sum(passes, (pass) => pass.chargesMicroUsd)),
            usd(sum(passes, (pass) => pass.debtMicroUsd)),
            usd(result.totalRequestedMicroUsd),
          ],
        ],
        alignRight: [1, 2, 3],
      }),
      '',
      `In ${result.batches.length} batch(es) of ${result.batches.map((batch) => batch.passes).join(', ')} pass(es).`,
    ].join('\n')

  const failed = result.batches.filter((batch) => batch.status === 'FAILED')
  const confirmed = result.batches.filter((batch) => batch.status === 'CONFIRMED')
  const short = passes.filter((pass) => pass.shortfallMicroUsd > 0n)
  return [
    formatTable({
      headers: ['pass', 'charges', 'debt', 'requested', 'deducted', 'shortfall'],
      rows: passes.map((pass) => [
        `#${pass.tokenId}`,
        usd(pass.chargesMicroUsd),
        usd(pass.debtMicroUsd),
        usd(pass.requestedMicroUsd),
        usd(pass.deductedMicroUsd),
        usd(pass.shortfallMicroUsd),
      ]),
      footer: [
        [
          `${passes.length} pass(es)`,
          usd(sum(passes, (pass) => pass.chargesMicroUsd)),
          usd(sum(passes, (pass) => pass.debtMicroUsd)),
          usd(result.totalRequestedMicroUsd),
          usd(result.totalDeductedMicroUsd),
          usd(sum(passes, (pass) => pass.shortfallMicroUsd)),
        ],
      ],
      alignRight: [1, 2, 3, 4, 5],
    }),
    '',
    formatTable({
      headers: ['batch', 'status', 'passes', 'requested', 'deducted', 'transaction'],
      rows: result.batches.map((batch) => [
        batch.batchId,
        batch.status,
        String(batch.passes),
        usd(batch.requestedMicroUsd),
        usd(batch.deductedMicroUsd),
        batch.txHash ?? '-',
      ]),
      alignRight: [2, 3, 4],
    }),
    // A FAILED or in-flight batch says why.
    ...result.batches.flatMap((batch) =>
      batch.error ? [`  ${batch.batchId} ${batch.status}: ${batch.error}`] : [],
    ),
    '',
    `Settled ${usd(result.totalDeductedMicroUsd)} of ${usd(result.totalRequestedMicroUsd)} from ${passes.length} pass(es) in ${confirmed.length} transaction(s).`,
    ...(result.recovered ? [`Resumed ${result.recovered} batch(es) of an earlier run.`] : []),
    ...(short.length
      ? [
          `${short.length} pass(es) were short and are suspended until a deposit covers their debt: ${short.map((pass) => `#${pass.tokenId} owes ${usd(pass.shortfallMicroUsd)}`).join(', ')}.`,
        ]
      : []),
    ...(result.unresolved
      ? [
          `${result.unresolved} batch(es) still in flight on-chain; the next run resolves them first (never sending them twice).`,
        ]
      : []),
    ...(failed.length
      ? [
          `${failed.length} batch(es) FAILED; their charges are settled by the next run (or admin.retrySettlement).`,
        ]
      : []),
  ].join('\n')
}
