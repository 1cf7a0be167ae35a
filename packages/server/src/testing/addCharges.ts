import { randomUUID } from 'node:crypto'
import type { Address } from 'viem'
import type { Database } from '../db/createDatabase.js'
import { seedDatabase } from '../db/seed/seedDatabase.js'

export type AddChargesParameters = {
  database: Database
  chainId: number
  contract: Address
  /** Owner of every pass (and the wallet the entries belong to). */
  owner: Address
  passes: readonly { tokenId: bigint; charges: readonly bigint[] }[]
  capturedAt: Date
}

/**
 * Captured charges as the ledger writer leaves them, written directly: Pass rows (created when
 * missing, `pendingMicroUsd` raised by the charges) and CHARGED LedgerEntry rows. Returns the
 * pass ids by token id.
 */
export async function addCharges({
  database,
  chainId,
  contract,
  owner,
  passes,
  capturedAt,
}: AddChargesParameters): Promise<Map<bigint, string>> {
  const { prisma } = database
  await seedDatabase({ database })
  const price = await prisma.modelPrice.findFirstOrThrow({ where: { model: 'dev-mini' } })
  const walletAddress = owner.toLowerCase()
  await prisma.wallet.upsert({
    where: { address: walletAddress },
    create: { address: walletAddress },
    update: {},
  })
  const contractAddress = contract.toLowerCase()
  await prisma.pass.createMany({
    data: passes.map(({ tokenId }) => ({
      chainId,
      contractAddress,
      tokenId: tokenId.toString(),
      ownerAddress: walletAddress,
    })),
    skipDuplicates: true,
  })
  const rows = await prisma.pass.findMany({
    where: { chainId, contractAddress, tokenId: { in: passes.map((p) => p.tokenId.toString()) } },
    select: { id: true, tokenId: true },
  })
  const ids = new Map(rows.map((row) => [BigInt(row.tokenId.toFixed()), row.id]))
  const entries = passes.flatMap(({ tokenId, charges }) =>
    charges.map((charge) => ({
      requestId: `req-${randomUUID()}`,
      walletAddress,
      passId: ids.get(tokenId) as string,
      model: price.model,
      priceId: price.id,
      status: 'CHARGED' as const,
      holdMicroUsd: charge,
      chargeMicroUsd: charge,
      inputTokens: 10,
      outputTokens: 20,
      createdAt: capturedAt,
      holdExpiresAt: new Date(capturedAt.getTime() + 60_000),
      capturedAt,
    })),
  )
  await prisma.ledgerEntry.createMany({ data: entries })
  const byPass = passes.map(({ tokenId, charges }) => ({
    id: ids.get(tokenId) as string,
    pending: charges.reduce((sum, charge) => sum + charge, 0n),
  }))
  await prisma.$executeRaw`
    UPDATE "Pass" AS p SET "pendingMicroUsd" = p."pendingMicroUsd" + v.pending
    FROM unnest(${byPass.map((p) => p.id)}::uuid[], ${byPass.map((p) => p.pending)}::bigint[])
      AS v(id, pending)
    WHERE p.id = v.id`
  return ids
}
