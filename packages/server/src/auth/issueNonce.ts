import { randomBytes } from 'node:crypto'
import type { Database } from '../db/createDatabase.js'

export type IssueNonceParameters = {
  database: Database
  /** How long the nonce can be used; 5 minutes by default. */
  ttlMs?: number | undefined
}

export type IssueNonceReturnType = { nonce: string; expiresAt: Date }

/**
 * A fresh SIWE nonce, stored in the database so every server instance can consume it, once.
 * 128 random bits, alphanumeric as EIP-4361 requires.
 */
export async function issueNonce({
  database,
  ttlMs = 5 * 60_000,
}: IssueNonceParameters): Promise<IssueNonceReturnType> {
  const nonce = randomBytes(16).toString('hex')
  const expiresAt = new Date(Date.now() + ttlMs)
  await database.prisma.siweNonce.create({ data: { nonce, expiresAt } })
  return { nonce, expiresAt }
}
