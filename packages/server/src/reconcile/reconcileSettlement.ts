import { accessPassAbi } from '@accesspoint/contracts'
import type { MicroUsd } from '@accesspoint/core'
import { formatUsd } from '@accesspoint/core'
import {
  type Address,
  type Client,
  type GetLogsReturnType,
  getAbiItem,
  type Hex,
  type Transport,
} from 'viem'
import { getBlockNumber, getCode, getLogs, readContract } from 'viem/actions'
import { describeRpcError } from '../access/describeRpcError.js'
import type { Database } from '../db/createDatabase.js'
import { ReconcileChainError, type ReconcileChainErrorType } from './errors.js'

export type ReconcileSettlementParameters = {
  database: Pick<Database, 'prisma'>
  /** Reads the chain the AccessPass lives on; an archive node when `fromBlock` is left out. */
  client: Client<Transport>
  chainId: number
  /** The AccessPass contract. */
  contract: Address
  /**
   * First block whose logs are read: at or before the contract's deployment, or the credit check
   * (every Deposited minus every Settled) cannot add up. Default: the deployment block, found by
   * bisecting `eth_getCode`.
   */
  fromBlock?: bigint | undefined
  /** Last block read, and the block credits are read at. Default: the latest. */
  toBlock?: bigint | undefined
  /** Blocks per `eth_getLogs`; halved on a refusal. Providers cap ranges. @default 5_000n */
  chunkSize?: bigint | undefined
}

export type SettlementDiscrepancyKind =
  /** A CONFIRMED batch the contract has never seen (`isBatchSettled` is false). */
  | 'batch-not-on-chain'
  /** The contract settled a batch id the database does not know. */
  | 'batch-unknown'
  /** The contract settled a batch the database holds as PENDING, SUBMITTED or FAILED. */
  | 'batch-status-mismatch'
  /** A CONFIRMED batch's item with no `Settled` event for its pass. */
  | 'item-not-on-chain'
  /** A `Settled` event of a known batch for a pass the batch has no item for. */
  | 'item-missing-in-db'
  /** The item's amount differs from the event's `requested`. */
  | 'item-requested-mismatch'
  /** The item's deducted amount differs from the event's `deducted`. */
  | 'item-deducted-mismatch'
  /** The item's shortfall differs from the event's `requested − deducted`. */
  | 'item-shortfall-mismatch'
  /** `creditOf` differs from every Deposited minus every Settled deduction in the logs. */
  | 'credit-mismatch'
  /** A charge marked settled that belongs to no CONFIRMED batch. */
  | 'entry-settled-without-batch'
  /** A charge of a CONFIRMED batch that is not marked settled (or is not CHARGED). */
  | 'entry-not-marked-settled'
  /** A CONFIRMED batch's charges for a pass the batch has no item for. */
  | 'entry-pass-not-in-batch'
  /** The charges a batch settled for a pass differ from its item's `chargesMicroUsd`. */
  | 'item-charges-mismatch'
  /** An item's amount is not its charges plus the debt it carries. */
  | 'item-amount-mismatch'
  /** A CONFIRMED batch's recorded deduction differs from its `BatchSettled` total. */
  | 'batch-deducted-mismatch'
  /** A pass's debt is not what its confirmed items add up to (shortfalls − debt collected). */
  | 'pass-debt-mismatch'

export type SettlementDiscrepancy = {
  kind: SettlementDiscrepancyKind
  batchId?: Hex | undefined
  passId?: string | undefined
  tokenId?: bigint | undefined
  requestId?: string | undefined
  /** What the ledger says (or, for `credit-mismatch`, what the logs add up to). */
  expected?: bigint | boolean | string | null | undefined
  /** What the chain says (or, for ledger checks, what the ledger holds instead). */
  actual?: bigint | boolean | string | null | undefined
  /** One line an operator can act on. */
  message: string
}

export type ReconcileSettlementReturnType = {
  discrepancies: SettlementDiscrepancy[]
  /** What was compared, so "no discrepancies" can be read as more than "nothing looked at". */
  checked: {
    fromBlock: bigint
    toBlock: bigint
    /** Batches in the database for this contract. */
    batches: number
    /** `BatchSettled` events in the range. */
    batchesOnChain: number
    /** Passes whose credit was compared with the logs. */
    passes: number
    logs: number
  }
}

export type ReconcileSettlementErrorType = ReconcileChainErrorType

const depositedEvent = getAbiItem({ abi: accessPassAbi, name: 'Deposited' })
const settledEvent = getAbiItem({ abi: accessPassAbi, name: 'Settled' })
const batchSettledEvent = getAbiItem({ abi: accessPassAbi, name: 'BatchSettled' })
const events = [depositedEvent, settledEvent, batchSettledEvent] as const
type AccessPassLog = GetLogsReturnType<undefined, typeof events, true>[number]

// Reads of many passes' credit go out this many at a time.
const readConcurrency = 20

/**
 * Compares the settlement ledger with the chain and returns every discrepancy; an empty list
 * means the two agree. Read-only. Run it while no settlement is in flight (the CLI takes the
 * settlement lock), or a batch between send and confirmation shows up as a status mismatch.
 *
 * Checks (each exact, no tolerance):
 * - every CONFIRMED batch is settled on-chain (`isBatchSettled`), and its `Settled` events match
 *   its items one to one: requested = amount, deducted, shortfall = requested − deducted;
 * - every batch the contract settled (`BatchSettled`) is in the database, and CONFIRMED;
 * - every pass's `creditOf` = Σ Deposited − Σ Settled.deducted from the logs: no credit moved
 *   that the logs (and so the ledger checks above) do not account for;
 * - ledger entries: settled ⇔ in a CONFIRMED batch; each item asks exactly the charges the batch
 *   settled for its pass plus the debt it carries; the batch's deducted total is the chain's;
 *   each pass's debt is Σ of its confirmed items' (shortfall − debt collected).
 *
 * @throws {ReconcileChainError} The chain could not be read (or the contract is not there).
 */
export async function reconcileSettlement({
  database,
  client,
  chainId,
  contract,
  fromBlock: givenFromBlock,
  toBlock: givenToBlock,
  chunkSize = 5_000n,
}: ReconcileSettlementParameters): Promise<ReconcileSettlementReturnType> {
  const chain = async <data>(what: string, read: () => Promise<data>, fix?: string) => {
    try {
      return await read()
    } catch (cause) {
      throw new ReconcileChainError({
        reason: `${what} failed (${describeRpcError(cause)}).`,
        fix,
        cause,
      })
    }
  }
  const toBlock =
    givenToBlock ??
    (await chain('reading the latest block', () => getBlockNumber(client, { cacheTime: 0 })))
  const fromBlock =
    givenFromBlock ?? (await findDeploymentBlock({ client, contract, toBlock, chain }))
  const logs = await readLogs({ client, contract, fromBlock, toBlock, chunkSize, chain })

  const lower = contract.toLowerCase()
  const [batches, passes] = await Promise.all([
    database.prisma.settlementBatch.findMany({
      where: { chainId },
      select: {
        id: true,
        contractAddress: true,
        status: true,
        deductedMicroUsd: true,
        items: {
          select: {
            passId: true,
            amountMicroUsd: true,
            chargesMicroUsd: true,
            debtMicroUsd: true,
            deductedMicroUsd: true,
            shortfallMicroUsd: true,
            pass: { select: { tokenId: true } },
          },
        },
      },
    }),
    database.prisma.pass.findMany({
      where: { chainId },
      select: { id: true, tokenId: true, contractAddress: true, debtMicroUsd: true },
    }),
  ])
  const ours = batches.filter((batch) => batch.contractAddress.toLowerCase() === lower)
  const ourPasses = passes.filter((pass) => pass.contractAddress.toLowerCase() === lower)
  const passIdByToken = new Map(ourPasses.map((pass) => [toBigInt(pass.tokenId), pass.id]))

  const discrepancies: SettlementDiscrepancy[] = []
  const report = (discrepancy: SettlementDiscrepancy) => discrepancies.push(discrepancy)

  // What the logs say, by batch and by pass.
  type SettledEvent = { requested: bigint; deducted: bigint }
  const settledByBatch = new Map<string, Map<bigint, SettledEvent[]>>()
  const batchesOnChain = new Map<string, bigint>()
  const flows = new Map<bigint, { deposited: bigint; deducted: bigint }>()
  const flowOf = (tokenId: bigint) => {
    const flow = flows.get(tokenId) ?? { deposited: 0n, deducted: 0n }
    flows.set(tokenId, flow)
    return flow
  }
  for (const log of logs) {
    if (log.eventName === 'Deposited') {
      flowOf(log.args.tokenId).deposited += log.args.amount
    } else if (log.eventName === 'Settled') {
      flowOf(log.args.tokenId).deducted += log.args.deducted
      const batchId = log.args.batchId.toLowerCase()
      const byToken = settledByBatch.get(batchId) ?? new Map<bigint, SettledEvent[]>()
      settledByBatch.set(batchId, byToken)
      const list = byToken.get(log.args.tokenId) ?? []
      list.push({ requested: log.args.requested, deducted: log.args.deducted })
      byToken.set(log.args.tokenId, list)
    } else {
      batchesOnChain.set(log.args.batchId.toLowerCase(), log.args.totalDeducted)
    }
  }

  // 1. Every CONFIRMED batch happened on-chain, exactly as recorded.
  const confirmed = ours.filter((batch) => batch.status === 'CONFIRMED')
  const settledFlags = await inGroups(confirmed, (batch) =>
    chain(`reading isBatchSettled(${batch.id})`, () =>
      readContract(client, {
        address: contract,
        abi: accessPassAbi,
        functionName: 'isBatchSettled',
        args: [batch.id as Hex],
        blockNumber: toBlock,
      }),
    ),
  )
  for (const [index, batch] of confirmed.entries()) {
    const batchId = batch.id as Hex
    if (!settledFlags[index]) {
      report({
        kind: 'batch-not-on-chain',
        batchId,
        expected: true,
        actual: false,
        message: `Batch ${batchId} is CONFIRMED in the database but the contract never settled it: its charges are marked settled without having been deducted.`,
      })
      continue
    }
    const events = settledByBatch.get(batchId.toLowerCase()) ?? new Map<bigint, SettledEvent[]>()
    if (!batchesOnChain.has(batchId.toLowerCase()) && events.size === 0) {
      // Settled, but before the range read: nothing to compare the items with.
      report({
        kind: 'item-not-on-chain',
        batchId,
        message: `Batch ${batchId} is settled on-chain but its events are not in blocks ${fromBlock}-${toBlock}: set SETTLEMENT_FROM_BLOCK at or before the AccessPass deployment.`,
      })
      continue
    }
    const totalOnChain = batchesOnChain.get(batchId.toLowerCase())
    if (totalOnChain !== undefined && totalOnChain !== batch.deductedMicroUsd)
      report({
        kind: 'batch-deducted-mismatch',
        batchId,
        expected: batch.deductedMicroUsd,
        actual: totalOnChain,
        message: `Batch ${batchId} records ${usd(batch.deductedMicroUsd)} deducted, the chain's BatchSettled says ${usd(totalOnChain)}.`,
      })
    const seen = new Set<bigint>()
    for (const item of batch.items) {
      const tokenId = toBigInt(item.pass.tokenId)
      seen.add(tokenId)
      const base = { batchId, passId: item.passId, tokenId }
      const matches = events.get(tokenId) ?? []
      const [event] = matches
      if (!event || matches.length > 1) {
        report({
          ...base,
          kind: 'item-not-on-chain',
          expected: 1n,
          actual: BigInt(matches.length),
          message: `Pass #${tokenId} has an item in batch ${batchId} but ${matches.length} Settled events there (expected 1).`,
        })
        continue
      }
      if (event.requested !== item.amountMicroUsd)
        report({
          ...base,
          kind: 'item-requested-mismatch',
          expected: item.amountMicroUsd,
          actual: event.requested,
          message: `Pass #${tokenId} in batch ${batchId}: the ledger asked ${usd(item.amountMicroUsd)}, the chain was asked ${usd(event.requested)}.`,
        })
      if (event.deducted !== item.deductedMicroUsd)
        report({
          ...base,
          kind: 'item-deducted-mismatch',
          expected: item.deductedMicroUsd,
          actual: event.deducted,
          message: `Pass #${tokenId} in batch ${batchId}: the ledger records ${usd(item.deductedMicroUsd)} deducted, the chain deducted ${usd(event.deducted)}.`,
        })
      const shortfall = event.requested - event.deducted
      if ((item.shortfallMicroUsd ?? 0n) !== shortfall)
        report({
          ...base,
          kind: 'item-shortfall-mismatch',
          expected: item.shortfallMicroUsd,
          actual: shortfall,
          message: `Pass #${tokenId} in batch ${batchId}: the ledger records a shortfall of ${usd(item.shortfallMicroUsd ?? 0n)}, the chain fell short by ${usd(shortfall)}.`,
        })
    }
    for (const [tokenId, list] of events)
      if (!seen.has(tokenId))
        for (const event of list)
          report({
            kind: 'item-missing-in-db',
            batchId,
            tokenId,
            passId: passIdByToken.get(tokenId),
            actual: event.deducted,
            message: `Batch ${batchId} deducted ${usd(event.deducted)} from pass #${tokenId} on-chain, but the batch has no item for that pass.`,
          })
  }

  // 2. Every batch the contract settled is ours and CONFIRMED.
  const statusById = new Map(ours.map((batch) => [batch.id.toLowerCase(), batch.status]))
  for (const batchId of batchesOnChain.keys()) {
    const status = statusById.get(batchId)
    if (status === 'CONFIRMED') continue
    const total = [...(settledByBatch.get(batchId)?.values() ?? [])]
      .flat()
      .reduce((sum, event) => sum + event.deducted, 0n)
    report(
      status === undefined
        ? {
            kind: 'batch-unknown',
            batchId: batchId as Hex,
            actual: total,
            message: `The contract settled batch ${batchId} (${usd(total)} deducted), which the database does not know: credit moved that the ledger did not record.`,
          }
        : {
            kind: 'batch-status-mismatch',
            batchId: batchId as Hex,
            expected: status,
            actual: 'CONFIRMED',
            message:
              status === 'FAILED'
                ? `Batch ${batchId} is FAILED in the database but the contract settled it (${usd(total)} deducted).`
                : `Batch ${batchId} is ${status} in the database but the contract settled it: run \`pnpm settle\` to resume it.`,
          },
    )
  }

  // 3. Credit: nothing moved on-chain that the logs do not show.
  for (const tokenId of passIdByToken.keys()) flowOf(tokenId)
  const tokenIds = [...flows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const credits = await inGroups(tokenIds, (tokenId) =>
    chain(`reading creditOf(${tokenId})`, () =>
      readContract(client, {
        address: contract,
        abi: accessPassAbi,
        functionName: 'creditOf',
        args: [tokenId],
        blockNumber: toBlock,
      }),
    ),
  )
  for (const [index, tokenId] of tokenIds.entries()) {
    const flow = flowOf(tokenId)
    const expected = flow.deposited - flow.deducted
    const actual = credits[index]
    if (actual !== expected)
      report({
        kind: 'credit-mismatch',
        tokenId,
        passId: passIdByToken.get(tokenId),
        expected,
        actual,
        message: `Pass #${tokenId} has ${usd(actual ?? 0n)} credit on-chain, but its Deposited (${usd(flow.deposited)}) minus Settled (${usd(flow.deducted)}) events in blocks ${fromBlock}-${toBlock} add up to ${usd(expected)}.`,
      })
  }

  // 4. The ledger entries agree with the batches they were settled in.
  const confirmedIds = confirmed.map((batch) => batch.id)
  const passFilter = { chainId, contractAddress: { equals: lower, mode: 'insensitive' as const } }
  const [strays, unmarked, sums] = await Promise.all([
    database.prisma.ledgerEntry.findMany({
      where: {
        settledAt: { not: null },
        pass: passFilter,
        OR: [{ settlementBatchId: null }, { settlementBatch: { status: { not: 'CONFIRMED' } } }],
      },
      select: { requestId: true, passId: true, settlementBatchId: true },
    }),
    database.prisma.ledgerEntry.findMany({
      where: {
        settlementBatchId: { in: confirmedIds },
        OR: [{ settledAt: null }, { status: { not: 'CHARGED' } }],
      },
      select: { requestId: true, passId: true, settlementBatchId: true, status: true },
    }),
    database.prisma.ledgerEntry.groupBy({
      by: ['settlementBatchId', 'passId'],
      where: { settlementBatchId: { in: confirmedIds }, status: 'CHARGED' },
      _sum: { chargeMicroUsd: true },
    }),
  ])
  for (const entry of strays)
    report({
      kind: 'entry-settled-without-batch',
      requestId: entry.requestId,
      passId: entry.passId ?? undefined,
      batchId: (entry.settlementBatchId ?? undefined) as Hex | undefined,
      message: `Charge ${entry.requestId} is marked settled but ${entry.settlementBatchId ? `its batch ${entry.settlementBatchId} is not CONFIRMED` : 'belongs to no batch'}.`,
    })
  for (const entry of unmarked)
    report({
      kind: 'entry-not-marked-settled',
      requestId: entry.requestId,
      passId: entry.passId ?? undefined,
      batchId: (entry.settlementBatchId ?? undefined) as Hex | undefined,
      actual: entry.status,
      message: `Entry ${entry.requestId} (${entry.status}) belongs to CONFIRMED batch ${entry.settlementBatchId} but is not a settled charge.`,
    })
  const chargedBy = new Map(
    sums.map((sum) => [`${sum.settlementBatchId}:${sum.passId}`, sum._sum.chargeMicroUsd ?? 0n]),
  )
  const items = new Set<string>()
  for (const batch of confirmed)
    for (const item of batch.items) {
      const key = `${batch.id}:${item.passId}`
      items.add(key)
      const tokenId = toBigInt(item.pass.tokenId)
      const base = { batchId: batch.id as Hex, passId: item.passId, tokenId }
      if (item.amountMicroUsd !== item.chargesMicroUsd + item.debtMicroUsd)
        report({
          ...base,
          kind: 'item-amount-mismatch',
          expected: item.chargesMicroUsd + item.debtMicroUsd,
          actual: item.amountMicroUsd,
          message: `Pass #${tokenId} in batch ${batch.id}: asked ${usd(item.amountMicroUsd)}, but its charges (${usd(item.chargesMicroUsd)}) and carried debt (${usd(item.debtMicroUsd)}) add up to ${usd(item.chargesMicroUsd + item.debtMicroUsd)}.`,
        })
      const charged = chargedBy.get(key) ?? 0n
      if (charged !== item.chargesMicroUsd)
        report({
          ...base,
          kind: 'item-charges-mismatch',
          expected: item.chargesMicroUsd,
          actual: charged,
          message: `Pass #${tokenId} in batch ${batch.id}: the item settles ${usd(item.chargesMicroUsd)} of charges, but the ledger entries settled by the batch add up to ${usd(charged)}.`,
        })
    }
  // Debt moves only when a batch is confirmed: + what fell short, − what the batch collected.
  const debtFromItems = new Map<string, bigint>()
  for (const batch of confirmed)
    for (const item of batch.items)
      debtFromItems.set(
        item.passId,
        (debtFromItems.get(item.passId) ?? 0n) + (item.shortfallMicroUsd ?? 0n) - item.debtMicroUsd,
      )
  for (const pass of ourPasses) {
    const expected = debtFromItems.get(pass.id) ?? 0n
    if (pass.debtMicroUsd !== expected)
      report({
        kind: 'pass-debt-mismatch',
        passId: pass.id,
        tokenId: toBigInt(pass.tokenId),
        expected,
        actual: pass.debtMicroUsd,
        message: `Pass #${toBigInt(pass.tokenId)} has a debt of ${usd(pass.debtMicroUsd)}, but its confirmed settlements (shortfalls less debt collected) add up to ${usd(expected)}.`,
      })
  }
  for (const sum of sums) {
    if (items.has(`${sum.settlementBatchId}:${sum.passId}`)) continue
    const charged = sum._sum.chargeMicroUsd ?? 0n
    report({
      kind: 'entry-pass-not-in-batch',
      batchId: (sum.settlementBatchId ?? undefined) as Hex | undefined,
      passId: sum.passId ?? undefined,
      actual: charged,
      message: `Batch ${sum.settlementBatchId} settled ${usd(charged)} of charges of pass ${sum.passId}, but has no item for that pass.`,
    })
  }

  return {
    discrepancies,
    checked: {
      fromBlock,
      toBlock,
      batches: ours.length,
      batchesOnChain: batchesOnChain.size,
      passes: tokenIds.length,
      logs: logs.length,
    },
  }
}

type ChainRead = <data>(what: string, read: () => Promise<data>, fix?: string) => Promise<data>

/** The first block with the contract's code: bisection over `eth_getCode` (archive nodes). */
async function findDeploymentBlock({
  client,
  contract,
  toBlock,
  chain,
}: {
  client: Client<Transport>
  contract: Address
  toBlock: bigint
  chain: ChainRead
}): Promise<bigint> {
  const fix =
    'Set SETTLEMENT_FROM_BLOCK to the AccessPass deployment block (or use an archive RPC).'
  const deployedAt = async (blockNumber: bigint) => {
    const code = await chain(
      `reading the contract code at block ${blockNumber}`,
      () => getCode(client, { address: contract, blockNumber }),
      fix,
    )
    return code !== undefined && code !== '0x'
  }
  if (!(await deployedAt(toBlock)))
    throw new ReconcileChainError({
      reason: `there is no contract at ${contract} (block ${toBlock}).`,
      fix: 'Check ACCESS_PASS_ADDRESS and RPC_URL.',
    })
  let low = 0n
  let high = toBlock
  while (low < high) {
    const middle = (low + high) / 2n
    if (await deployedAt(middle)) high = middle
    else low = middle + 1n
  }
  return low
}

/** Every Deposited, Settled and BatchSettled log of the contract, oldest first, in chunks. */
async function readLogs({
  client,
  contract,
  fromBlock,
  toBlock,
  chunkSize,
  chain,
}: {
  client: Client<Transport>
  contract: Address
  fromBlock: bigint
  toBlock: bigint
  chunkSize: bigint
  chain: ChainRead
}): Promise<AccessPassLog[]> {
  const logs: AccessPassLog[] = []
  let size = chunkSize > 0n ? chunkSize : 1n
  let start = fromBlock
  while (start <= toBlock) {
    const end = start + size - 1n < toBlock ? start + size - 1n : toBlock
    try {
      logs.push(
        ...(await getLogs(client, {
          address: contract,
          events,
          strict: true,
          fromBlock: start,
          toBlock: end,
        })),
      )
      start = end + 1n
    } catch (cause) {
      // Providers refuse ranges (or result sets) they find too large: try a smaller one.
      if (size > 1n) {
        size /= 2n
        continue
      }
      await chain(`reading logs of blocks ${start}-${end}`, () => Promise.reject(cause))
    }
  }
  return logs
}

async function inGroups<item, result>(
  items: readonly item[],
  read: (item: item) => Promise<result>,
): Promise<result[]> {
  const results: result[] = []
  for (let index = 0; index < items.length; index += readConcurrency)
    results.push(...(await Promise.all(items.slice(index, index + readConcurrency).map(read))))
  return results
}

function toBigInt(value: { toFixed(): string }): bigint {
  return BigInt(value.toFixed())
}

function usd(amount: MicroUsd | null): string {
  return amount === null ? 'nothing' : formatUsd(amount)
}
