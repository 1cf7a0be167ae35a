import { accessControlAbi, accessPassAbi } from '@accesspoint/contracts'
import { type AbiEvent, erc721Abi, erc1155Abi } from 'viem'

const events = (abi: readonly { type: string }[]) =>
  abi.filter((item): item is AbiEvent => item.type === 'event')

const named = (abi: readonly { type: string }[], names: readonly string[]) =>
  events(abi).filter((event) => names.includes(event.name))

/**
 * Every event after which a cached fact may be wrong: transfers, role changes, and each
 * AccessPass event naming a `tokenId` (deposits, settlements, shortfalls change credit). Derived
 * from the AccessPass ABI so a new credit event is covered without a change here; approvals move
 * nothing and are left out.
 */
export const invalidationEventsAbi: readonly AbiEvent[] = [
  ...named(erc721Abi, ['Transfer']),
  ...named(erc1155Abi, ['TransferSingle', 'TransferBatch']),
  ...named(accessControlAbi, ['RoleGranted', 'RoleRevoked']),
  ...events(accessPassAbi).filter(
    (event) =>
      !['Transfer', 'Approval', 'ApprovalForAll'].includes(event.name) &&
      event.inputs.some((input) => input.name === 'tokenId'),
  ),
]
