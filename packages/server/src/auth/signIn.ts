import {
  parseSiweMessage,
  SiweNonceInvalidError,
  validateSiweMessage,
} from '@accesspoint/core/siwe'
import type { Address, Hex, PublicClient } from 'viem'
import type { AccessResolver } from '../access/createAccessResolver.js'
import type { Database } from '../db/createDatabase.js'
import type { SessionStore } from './createSessionStore.js'
import { ForbiddenRoleError, InvalidSignatureError } from './errors.js'
import { verifySiweSignature } from './verifySiweSignature.js'

export type SignInParameters = {
  database: Database
  sessions: SessionStore
  access: Pick<AccessResolver, 'getAccess'>
  /** A public client per chain id, to verify contract-wallet signatures. */
  clients: ReadonlyMap<number, PublicClient>
  siwe: {
    /** Accepted message domains (exact) and URIs (same origin). */
    domains: readonly string[]
    uris: readonly string[]
    chainIds: readonly number[]
    /** A message issued longer ago than this is refused. */
    maxAgeMs: number
    /** Longest session one signature opens, whatever the message's expiry says. */
    sessionMaxMs: number
  }
  message: string
  signature: Hex
  userAgent?: string | undefined
  ipAddress?: string | undefined
  now?: Date | undefined
}

export type SignInReturnType = {
  /** Bearer token for later requests; the server keeps only its hash. */
  token: string
  session: { id: string; address: Address; chainId: number; expiresAt: Date }
  access: Awaited<ReturnType<AccessResolver['getAccess']>>
}

/**
 * Exchanges a signed EIP-4361 message for a session. The checks run cheapest first, and the
 * nonce is consumed only once everything else holds, in the same transaction that opens the
 * session: a rejected attempt leaves the nonce usable, a replay finds it gone.
 */
export async function signIn({
  database,
  sessions,
  access,
  clients,
  siwe,
  message,
  signature,
  userAgent,
  ipAddress,
  now = new Date(),
}: SignInParameters): Promise<SignInReturnType> {
  const fields = parseSiweMessage(message)
  validateSiweMessage({
    message: fields,
    domain: siwe.domains,
    uri: siwe.uris,
    chainIds: siwe.chainIds,
    time: now,
    maxAge: siwe.maxAgeMs,
  })

  // Fail fast (before an RPC round trip) on a nonce we never issued or that is gone.
  const nonce = await database.prisma.siweNonce.findUnique({ where: { nonce: fields.nonce } })
  if (!nonce || nonce.consumedAt || nonce.expiresAt <= now) throw nonceInvalid(nonce)

  const valid = await verifySiweSignature({
    address: fields.address,
    message,
    signature,
    client: clients.get(fields.chainId),
    chainId: fields.chainId,
  })
  if (!valid)
    throw new InvalidSignatureError(
      `The signature was not made by ${fields.address} for this message.`,
    )

  const walletAccess = await access.getAccess(fields.address)
  if (walletAccess.roles.length === 0)
    throw new ForbiddenRoleError(
      'This wallet holds no pass or role that gives access. Get an AccessPass, then sign in again.',
      { details: `No role matched ${fields.address}.` },
    )

  const expiresAt = new Date(
    Math.min(
      now.getTime() + siwe.sessionMaxMs,
      fields.expirationTime ? Date.parse(fields.expirationTime) : Number.POSITIVE_INFINITY,
    ),
  )
  const walletAddress = fields.address.toLowerCase() as Address
  const { token, session } = await database.prisma.$transaction(async (transaction) => {
    const consumed = await transaction.siweNonce.updateMany({
      where: { nonce: fields.nonce, consumedAt: null, expiresAt: { gt: now } },
      data: { consumedAt: now },
    })
    // Another request consumed it between our check and now: exactly one of them wins.
    if (consumed.count !== 1) throw nonceInvalid({ consumedAt: now })
    await transaction.wallet.upsert({
      where: { address: walletAddress },
      create: { address: walletAddress, lastSeenAt: now },
      update: { lastSeenAt: now },
    })
    return sessions.create(
      {
        walletAddress,
        chainId: fields.chainId,
        domain: fields.domain,
        uri: fields.uri,
        siweMessage: message,
        signature,
        expiresAt,
        userAgent: userAgent?.slice(0, 512),
        ipAddress,
      },
      transaction,
    )
  })
  return {
    token,
    session: {
      id: session.sessionId,
      address: walletAddress,
      chainId: session.chainId,
      expiresAt: session.expiresAt,
    },
    access: walletAccess,
  }
}

function nonceInvalid(nonce: { consumedAt: Date | null } | null) {
  return new SiweNonceInvalidError(
    nonce?.consumedAt
      ? 'This sign-in nonce has already been used. Request a new nonce and sign again.'
      : 'This sign-in nonce is unknown or expired. Request a new nonce and sign again.',
  )
}
