import type { Database } from '../db/createDatabase.js'

export type PruneNoncesParameters = { database: Database; now?: Date | undefined }

/** Deletes nonces that can no longer be used (expired); returns how many. */
export async function pruneNonces({ database, now = new Date() }: PruneNoncesParameters) {
  const { count } = await database.prisma.siweNonce.deleteMany({
    where: { expiresAt: { lt: now } },
  })
  return count
}
