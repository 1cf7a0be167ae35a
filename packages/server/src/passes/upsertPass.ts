import type { Address } from 'viem'
import type { PassRef } from '../auth/types.js'
import type { Database } from '../db/createDatabase.js'

export type UpsertPassParameters = {
  database: Database
  pass: PassRef & { owner: Address; creditMicroUsd: bigint }
}

export type UpsertPassReturnType = { id: string }

/** Our row for an on-chain pass (created on first use), refreshed with what the chain just said. */
export async function upsertPass({
  database,
  pass,
}: UpsertPassParameters): Promise<UpsertPassReturnType> {
  const key = {
    chainId: pass.chainId,
    contractAddress: pass.contract.toLowerCase(),
    tokenId: pass.tokenId.toString(),
  }
  const mirror = {
    ownerAddress: pass.owner.toLowerCase(),
    creditMicroUsd: pass.creditMicroUsd,
    creditSyncedAt: new Date(),
  }
  return database.prisma.pass.upsert({
    where: { chainId_contractAddress_tokenId: key },
    create: { ...key, ...mirror },
    update: mirror,
    select: { id: true },
  })
}
