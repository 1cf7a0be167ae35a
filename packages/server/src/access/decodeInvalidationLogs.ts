import { type Address, getAddress, type Log, parseEventLogs, zeroAddress } from 'viem'
import { invalidationEventsAbi } from './abis.js'

export type DecodeInvalidationLogsParameters = {
  /** Raw logs of the watched contracts (any event; unknown ones are skipped). */
  logs: readonly Log[]
}

export type DecodeInvalidationLogsReturnType = {
  /** Addresses whose balances or roles changed: checksummed, without duplicates or zero. */
  addresses: Address[]
  /** Tokens whose owner's pass list or credit changed; the owner is looked up by the caller. */
  tokens: { contract: Address; tokenId: bigint }[]
}

export type DecodeInvalidationLogsErrorType = never

/**
 * Who is affected by a batch of logs: `from`/`to` of ERC-721 and ERC-1155 transfers, `account`
 * of AccessControl grants and revocations, and the `tokenId` of any AccessPass event (deposits,
 * settlements, shortfalls change a pass's credit).
 */
export function decodeInvalidationLogs({
  logs,
}: DecodeInvalidationLogsParameters): DecodeInvalidationLogsReturnType {
  const addresses = new Map<string, Address>()
  const tokens = new Map<string, { contract: Address; tokenId: bigint }>()
  const addAddress = (value: unknown) => {
    if (typeof value !== 'string' || value === zeroAddress) return
    const address = getAddress(value)
    addresses.set(address.toLowerCase(), address)
  }
  // An ERC-20 Transfer shares the ERC-721 topic but not its indexed layout; strict decoding
  // skips it instead of misreading the amount as a token id.
  const decoded = parseEventLogs({ abi: invalidationEventsAbi, logs: [...logs], strict: true })
  for (const log of decoded) {
    // Every event in the ABI has named inputs, so args is always an object.
    const args = log.args as Record<string, unknown>
    switch (log.eventName) {
      case 'Transfer':
      case 'TransferSingle':
      case 'TransferBatch':
        addAddress(args.from)
        addAddress(args.to)
        break
      case 'RoleGranted':
      case 'RoleRevoked':
        addAddress(args.account)
        break
    }
    if (typeof args.tokenId === 'bigint') {
      const contract = getAddress(log.address)
      tokens.set(`${contract}:${args.tokenId}`, { contract, tokenId: args.tokenId })
    }
  }
  return { addresses: [...addresses.values()], tokens: [...tokens.values()] }
}
