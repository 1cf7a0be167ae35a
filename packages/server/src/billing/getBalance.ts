import type { MicroUsd } from '@accesspoint/core'
import type { PassRef } from '../auth/types.js'
import type { Database } from '../db/createDatabase.js'
import {
  type BillingUnavailableErrorType,
  PassNotFoundError,
  type PassNotFoundErrorType,
} from './errors.js'
import { atLeastZero, toBillingError } from './internal.js'

export type GetBalanceParameters = {
  database: Pick<Database, 'prisma'>
} & (
  | { passId: string; pass?: undefined }
  | {
      /** The on-chain key of the pass, instead of our row id. */
      pass: PassRef
      passId?: undefined
    }
) & {
    /**
     * The on-chain credit as the caller just read it; without it, the mirror last written by
     * `placeHold` / `upsertPass` is used (it may lag a deposit).
     */
    creditMicroUsd?: MicroUsd | undefined
  }

export type GetBalanceReturnType = {
  creditMicroUsd: MicroUsd
  /** Captured charges not yet settled on-chain. */
  pendingMicroUsd: MicroUsd
  /** Worst-case cost of requests in flight. */
  heldMicroUsd: MicroUsd
  /**
   * What a new request may hold: credit − pending − held − debt, never below zero (the next
   * settlement collects the debt, so it cannot be spent).
   */
  availableMicroUsd: MicroUsd
  /** Left by a settlement shortfall; collected again by the next settlement. */
  debtMicroUsd: MicroUsd
  /** The part of the debt credit − pending − held does not cover: what a deposit must add. */
  amountDueMicroUsd: MicroUsd
  /**
   * Requests are refused with PAYMENT_FAILED: true exactly while `amountDueMicroUsd` is above
   * zero. A deposit that covers the debt ends it at once (the first hold clears `suspendedAt`).
   */
  suspended: boolean
}

export type GetBalanceErrorType = PassNotFoundErrorType | BillingUnavailableErrorType

/** A pass's balance as billing sees it. Reads only; it never writes the credit it is given. */
export async function getBalance({
  database,
  passId,
  pass,
  creditMicroUsd,
}: GetBalanceParameters): Promise<GetBalanceReturnType> {
  const where =
    passId !== undefined
      ? { id: passId }
      : {
          chainId_contractAddress_tokenId: {
            chainId: pass.chainId,
            contractAddress: pass.contract.toLowerCase(),
            tokenId: pass.tokenId.toString(),
          },
        }
  const row = await database.prisma.pass
    .findUnique({
      where,
      select: {
        creditMicroUsd: true,
        pendingMicroUsd: true,
        heldMicroUsd: true,
        debtMicroUsd: true,
      },
    })
    .catch((error: unknown) => {
      throw toBillingError(error, 'read a balance')
    })
  if (!row)
    throw new PassNotFoundError({
      passId: passId ?? `${pass.chainId}:${pass.contract}:${pass.tokenId}`,
    })
  const credit = creditMicroUsd ?? row.creditMicroUsd
  // `suspendedAt` is not consulted: it says when a shortfall happened, while whether the pass
  // works depends on the credit now, which may include a deposit no hold has seen yet.
  const covering = credit - row.pendingMicroUsd - row.heldMicroUsd
  const amountDue = atLeastZero(row.debtMicroUsd - covering)
  return {
    creditMicroUsd: credit,
    pendingMicroUsd: row.pendingMicroUsd,
    heldMicroUsd: row.heldMicroUsd,
    availableMicroUsd: atLeastZero(covering - row.debtMicroUsd),
    debtMicroUsd: row.debtMicroUsd,
    amountDueMicroUsd: amountDue,
    suspended: amountDue > 0n,
  }
}
