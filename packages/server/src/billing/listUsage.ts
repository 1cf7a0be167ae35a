import { InvalidInputError, type InvalidInputErrorType, type MicroUsd } from '@accesspoint/core'
import type { Database } from '../db/createDatabase.js'
import type { LedgerStatus, Prisma } from '../generated/prisma/client.js'
import type { BillingUnavailableErrorType } from './errors.js'
import { toBillingError } from './internal.js'

export type ListUsageParameters = {
  database: Pick<Database, 'prisma'>
  /**
   * Whose usage. Both filters combine (AND); with neither, every entry is listed, which is for
   * operators only: scope user-facing calls to the caller's wallet or passes.
   */
  walletAddress?: string | undefined
  passIds?: readonly string[] | undefined
  /** `nextCursor` of the previous page; omit for the newest entries. */
  cursor?: string | null | undefined
  /** 1 to 100. @default 20 */
  limit?: number | undefined
}

export type UsageRow = {
  requestId: string
  passId: string | null
  model: string
  status: LedgerStatus
  holdMicroUsd: MicroUsd
  /** Set once CHARGED. */
  chargeMicroUsd: MicroUsd | null
  inputTokens: number | null
  cachedInputTokens: number | null
  outputTokens: number | null
  stream: boolean
  aborted: boolean
  /** The provider's, or `hold_expired` for a hold released by `recoverOpenHolds`. */
  finishReason: string | null
  createdAt: Date
  /** When the entry became final (CHARGED or RELEASED). */
  capturedAt: Date | null
  /** Deducted on-chain. */
  settled: boolean
}

export type ListUsageReturnType = {
  /** Newest first. */
  items: UsageRow[]
  /** Pass it back for the next page; null on the last page. */
  nextCursor: string | null
  /** Over every entry matching the filter, not just this page. */
  totals: { count: number; chargedCount: number; chargedMicroUsd: MicroUsd }
}

export type ListUsageErrorType = InvalidInputErrorType | BillingUnavailableErrorType

export const maxUsagePageSize = 100

/**
 * A page of ledger entries, newest first, with totals for the filter. Pages are keyed on
 * (createdAt, requestId), so entries added meanwhile never shift or repeat a later page.
 */
export async function listUsage({
  database,
  walletAddress,
  passIds,
  cursor,
  limit = 20,
}: ListUsageParameters): Promise<ListUsageReturnType> {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxUsagePageSize)
    throw new InvalidInputError(
      `Invalid limit ${String(limit)}: expected 1 to ${maxUsagePageSize}.`,
      {
        issues: [{ path: 'limit', message: `expected an integer from 1 to ${maxUsagePageSize}` }],
      },
    )
  const after = cursor ? decodeCursor(cursor) : undefined

  const filter: Prisma.LedgerEntryWhereInput = {
    ...(walletAddress !== undefined ? { walletAddress: walletAddress.toLowerCase() } : {}),
    ...(passIds !== undefined ? { passId: { in: [...passIds] } } : {}),
  }
  const page: Prisma.LedgerEntryWhereInput = after
    ? {
        AND: [
          filter,
          {
            OR: [
              { createdAt: { lt: after.createdAt } },
              { createdAt: after.createdAt, requestId: { lt: after.requestId } },
            ],
          },
        ],
      }
    : filter

  try {
    const [rows, groups] = await Promise.all([
      database.prisma.ledgerEntry.findMany({
        where: page,
        orderBy: [{ createdAt: 'desc' }, { requestId: 'desc' }],
        take: limit + 1,
        select: {
          requestId: true,
          passId: true,
          model: true,
          status: true,
          holdMicroUsd: true,
          chargeMicroUsd: true,
          inputTokens: true,
          cachedInputTokens: true,
          outputTokens: true,
          stream: true,
          aborted: true,
          finishReason: true,
          createdAt: true,
          capturedAt: true,
          settledAt: true,
        },
      }),
      database.prisma.ledgerEntry.groupBy({
        by: ['status'],
        where: filter,
        _count: { _all: true },
        _sum: { chargeMicroUsd: true },
      }),
    ])

    const items = rows.slice(0, limit).map(({ settledAt, ...row }) => ({
      ...row,
      settled: settledAt !== null,
    }))
    const last = items.at(-1)
    const charged = groups.find((group) => group.status === 'CHARGED')
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      totals: {
        count: groups.reduce((sum, group) => sum + group._count._all, 0),
        chargedCount: charged?._count._all ?? 0,
        chargedMicroUsd: charged?._sum.chargeMicroUsd ?? 0n,
      },
    }
  } catch (error) {
    throw toBillingError(error, 'list usage')
  }
}

// Opaque to clients: base64url of JSON [createdAt ISO, requestId]. Timestamps are stored to
// the millisecond, which a Date (and ISO string) holds exactly.
function encodeCursor({ createdAt, requestId }: { createdAt: Date; requestId: string }): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), requestId])).toString('base64url')
}

function decodeCursor(cursor: string): { createdAt: Date; requestId: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(value) && value.length === 2) {
      const [iso, requestId] = value as unknown[]
      const createdAt = typeof iso === 'string' ? new Date(iso) : undefined
      if (createdAt && !Number.isNaN(createdAt.getTime()) && typeof requestId === 'string')
        return { createdAt, requestId }
    }
  } catch {
    // Reported below.
  }
  throw new InvalidInputError('Invalid cursor: pass back the nextCursor of the previous page.', {
    issues: [{ path: 'cursor', message: 'not a cursor returned by listUsage' }],
  })
}
