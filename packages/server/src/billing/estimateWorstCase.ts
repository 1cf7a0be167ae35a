import {
  type CalculateRequestCostErrorType,
  calculateRequestCost,
  InvalidInputError,
  type InvalidInputErrorType,
  type MicroUsd,
} from '@accesspoint/core'
import {
  CostCapExceededError,
  type CostCapExceededErrorType,
  InsufficientBalanceError,
  type InsufficientBalanceErrorType,
} from './errors.js'
import { atLeastZero } from './internal.js'
import type { ModelPriceRecord } from './types.js'

/** Clamping never goes below this many output tokens unless the request asked for fewer. */
export const defaultMinOutputTokens = 16

export type EstimateWorstCaseParameters = {
  price: Pick<
    ModelPriceRecord,
    | 'inputMicroUsdPerMillionTokens'
    | 'cachedInputMicroUsdPerMillionTokens'
    | 'outputMicroUsdPerMillionTokens'
  >
  /** From `countInputTokensUpperBound`: never below what the provider will count. */
  inputTokensUpperBound: number
  /** The request's `max_tokens`, or the model's output limit when it gave none. */
  maxTokens: number
  /** Per-request cap (DESIGN: $1 by default). */
  capMicroUsd: MicroUsd
  /** credit − pending − held, as last known; a negative value counts as zero. */
  availableMicroUsd: MicroUsd
  /** @default 16 */
  minOutputTokens?: number | undefined
  /** Only for error messages ("add funds to pass #3"). */
  passTokenId?: bigint | undefined
}

export type EstimateWorstCaseReturnType = {
  /** What to send the provider as `max_tokens`: the request's, or less so the worst case fits. */
  maxTokens: number
  /** The worst-case cost at that `maxTokens`: the amount to hold. */
  holdMicroUsd: MicroUsd
  /** Whether `maxTokens` was lowered. */
  clamped: boolean
}

export type EstimateWorstCaseErrorType =
  | CostCapExceededErrorType
  | InsufficientBalanceErrorType
  | InvalidInputErrorType
  | CalculateRequestCostErrorType

/**
 * The most a request can cost, fitted under `min(cap, available)` by lowering `max_tokens`.
 *
 * The worst case is every input token billed at the dearer of the cached and uncached input
 * price, plus `maxTokens` output tokens, through `calculateRequestCost` (so it rounds exactly as
 * the charge will). If it does not fit, `maxTokens` drops to the largest value that does; the
 * caller must send that to the provider, so the request can never cost more than its hold.
 *
 * @throws {CostCapExceededError} When even `minOutputTokens` output tokens cost more than the
 * cap: more funds would not help, a shorter input would.
 * @throws {InsufficientBalanceError} When it fits under the cap but not the available balance.
 */
export function estimateWorstCase({
  price,
  inputTokensUpperBound,
  maxTokens,
  capMicroUsd,
  availableMicroUsd,
  minOutputTokens = defaultMinOutputTokens,
  passTokenId,
}: EstimateWorstCaseParameters): EstimateWorstCaseReturnType {
  const issues = [
    ...checkCount('inputTokensUpperBound', inputTokensUpperBound, 0),
    ...checkCount('maxTokens', maxTokens, 1),
    ...checkCount('minOutputTokens', minOutputTokens, 0),
    ...(typeof capMicroUsd === 'bigint' && capMicroUsd >= 0n
      ? []
      : [{ path: 'capMicroUsd', message: 'expected a non-negative bigint of micro-USD' }]),
    ...(typeof availableMicroUsd === 'bigint'
      ? []
      : [{ path: 'availableMicroUsd', message: 'expected a bigint of micro-USD' }]),
  ]
  if (issues.length > 0)
    throw new InvalidInputError('Invalid worst-case estimate input.', { issues })

  const available = atLeastZero(availableMicroUsd)
  const limit = capMicroUsd < available ? capMicroUsd : available
  const worstCase = (outputTokens: number): MicroUsd => {
    // Cached input is normally cheaper, but nothing in the price table forces that, and the
    // provider decides what is cached: take whichever is dearer.
    const uncached = calculateRequestCost({
      usage: { inputTokens: inputTokensUpperBound, cachedInputTokens: 0, outputTokens },
      price,
    }).totalMicroUsd
    const cached = calculateRequestCost({
      usage: {
        inputTokens: inputTokensUpperBound,
        cachedInputTokens: inputTokensUpperBound,
        outputTokens,
      },
      price,
    }).totalMicroUsd
    // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints
    return uncached > cached ? uncached : cached
  }

  const full = worstCase(maxTokens)
  if (full <= limit) return { maxTokens, holdMicroUsd: full, clamped: false }

  const floor = Math.min(maxTokens, minOutputTokens)
  const smallest = worstCase(floor)
  if (smallest > capMicroUsd)
    throw new CostCapExceededError({
      worstCaseMicroUsd: smallest,
      capMicroUsd,
      inputTokensUpperBound,
      outputTokens: floor,
    })
  if (smallest > available)
    throw new InsufficientBalanceError({
      neededMicroUsd: smallest,
      availableMicroUsd: available,
      tokenId: passTokenId,
    })

  // The cost only grows with output tokens, so the largest count that fits is found by
  // bisection between `floor` (fits) and `maxTokens` (does not); ≤ 32 steps for any int.
  let fits = floor
  let tooMany = maxTokens
  while (tooMany - fits > 1) {
    const middle = fits + Math.floor((tooMany - fits) / 2)
    if (worstCase(middle) <= limit) fits = middle
    else tooMany = middle
  }
  return { maxTokens: fits, holdMicroUsd: worstCase(fits), clamped: true }
}

function checkCount(path: string, value: number, min: number) {
  return Number.isSafeInteger(value) && value >= min
    ? []
    : [{ path, message: `expected an integer ≥ ${min}, got ${String(value)}` }]
}
