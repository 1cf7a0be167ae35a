export type CreateBatchSizerParameters = {
  /** Fewest passes in a transaction, unless fewer are due. */
  minPasses: number
  /** Most passes in a transaction. */
  maxPasses: number
}

export type BatchSizer = {
  /** How many of `remaining` due passes the next batch takes. */
  next(remaining: number): number
  /** A batch of `passes` passes needs more gas than allowed: never go above half of it again. */
  tooMuchGas(passes: number): number
  /** A batch failed (reverted, dropped, timed out): halve, but not below the minimum. */
  failed(): void
  /** A batch confirmed: grow by 5, up to the maximum (or the gas ceiling). */
  succeeded(): void
  /** The current size. */
  size(): number
}

export type CreateBatchSizerReturnType = BatchSizer

const growth = 5

/**
 * Batch sizing from recent outcomes: a run starts at the largest size (fewest transactions),
 * halves after a failure (never below `minPasses`), grows by 5 after each success, and never
 * goes back above a size whose gas estimate was too high. Remainders are balanced so that no
 * batch is smaller than `minPasses` unless fewer passes than that are due at all.
 */
export function createBatchSizer({
  minPasses,
  maxPasses,
}: CreateBatchSizerParameters): CreateBatchSizerReturnType {
  let ceiling = maxPasses
  let size = maxPasses
  return {
    next(remaining) {
      if (remaining <= size) return remaining
      // Taking `size` would leave fewer than the minimum for the last batch (unless gas already
      // forces batches below the minimum anyway).
      if (remaining - size < minPasses && ceiling >= minPasses)
        return remaining <= ceiling ? remaining : Math.max(1, remaining - minPasses)
      return size
    },
    tooMuchGas(passes) {
      ceiling = Math.max(1, Math.floor(passes / 2))
      size = Math.min(size, ceiling)
      return ceiling
    },
    failed() {
      size = Math.min(ceiling, Math.max(minPasses, Math.floor(size / 2)))
    },
    succeeded() {
      size = Math.min(ceiling, size + growth)
    },
    size: () => size,
  }
}
