import { InvalidInputError, type InvalidInputErrorType } from '@accesspoint/core'

export type ParseSettleArgumentsParameters = readonly string[]

export type ParseSettleArgumentsReturnType = { mode: 'settle' | 'dry-run' | 'reconcile' | 'help' }

export type ParseSettleArgumentsErrorType = InvalidInputErrorType

export const settleUsage = `Usage: pnpm settle [--dry-run | --reconcile]

  (no option)   settle now: deduct charges older than SETTLEMENT_DELAY from the passes' on-chain credit
  --dry-run     print what would be settled, per pass and in total; writes and sends nothing
  --reconcile   compare the ledger with on-chain credit and Settled events; print every discrepancy

Exit codes: 0 done (no discrepancy), 1 discrepancies found or a batch FAILED, 2 could not run.`

/** `pnpm settle`'s options (pnpm passes a lone `--` along; it is ignored). */
export function parseSettleArguments(
  args: ParseSettleArgumentsParameters,
): ParseSettleArgumentsReturnType {
  const options = args.filter((arg) => arg !== '--')
  if (options.includes('--help') || options.includes('-h')) return { mode: 'help' }
  const unknown = options.filter((arg) => arg !== '--dry-run' && arg !== '--reconcile')
  if (unknown.length > 0)
    throw new InvalidInputError(`Unknown option ${unknown.join(' ')}.\n\n${settleUsage}`, {
      issues: unknown.map((arg) => ({ path: arg, message: 'not an option of pnpm settle' })),
    })
  const dryRun = options.includes('--dry-run')
  const reconcile = options.includes('--reconcile')
  if (dryRun && reconcile)
    throw new InvalidInputError(
      `--dry-run and --reconcile do not go together: pick one.\n\n${settleUsage}`,
    )
  return { mode: dryRun ? 'dry-run' : reconcile ? 'reconcile' : 'settle' }
}
