import type { ReconcileSettlementReturnType } from '@accesspoint/server'

export type FormatDiscrepanciesParameters = ReconcileSettlementReturnType

export type FormatDiscrepanciesReturnType = string

/** What `pnpm settle --reconcile` prints: what was compared, then every discrepancy. */
export function formatDiscrepancies({
  discrepancies,
  checked,
}: FormatDiscrepanciesParameters): FormatDiscrepanciesReturnType {
  const scope =
    `Compared ${checked.batches} settlement batch(es) in the database with blocks ` +
    `${checked.fromBlock}-${checked.toBlock} (${checked.batchesOnChain} settled batch(es), ` +
    `${checked.logs} log(s), credit of ${checked.passes} pass(es)).`
  if (discrepancies.length === 0) return `${scope}\nNo discrepancies: the ledger matches the chain.`
  return [
    scope,
    `${discrepancies.length} discrepanc${discrepancies.length === 1 ? 'y' : 'ies'}:`,
    ...discrepancies.map((discrepancy) => `  [${discrepancy.kind}] ${discrepancy.message}`),
  ].join('\n')
}
