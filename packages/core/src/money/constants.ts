/** Micro-USD in one US dollar: money is counted in whole micro-USD, so $1.50 is `1_500_000n`. */
export const microUsdPerUsd = 1_000_000n

/**
 * An amount of money in micro-USD (millionths of a US dollar). A plain `bigint` alias: it
 * documents intent in signatures without needing casts. Never convert money to `number`; it
 * loses precision above 2^53 and invites floating-point arithmetic.
 */
export type MicroUsd = bigint
