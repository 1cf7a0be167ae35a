import {
  type AbiEvent,
  type Address,
  encodeAbiParameters,
  encodeEventTopics,
  erc20Abi,
  type Hex,
  type Log,
  parseAbi,
  zeroAddress,
  zeroHash,
} from 'viem'
import { expect, test } from 'vitest'
import { invalidationEventsAbi } from './abis.js'
import { decodeInvalidationLogs } from './decodeInvalidationLogs.js'

const pass = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const multi = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const [a, b, c, d] = [
  '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65',
] as const

function log(
  address: Address,
  abi: readonly AbiEvent[],
  eventName: string,
  args: Record<string, unknown>,
): Log {
  const event = abi.find((item) => item.name === eventName)
  if (!event) throw new Error(eventName)
  const topics = encodeEventTopics({ abi: [event], eventName, args } as never) as [Hex, ...Hex[]]
  const data = encodeAbiParameters(
    event.inputs.filter((input) => !input.indexed),
    event.inputs.filter((input) => !input.indexed).map((input) => args[input.name ?? '']),
  )
  return {
    address: address.toLowerCase() as Address,
    topics,
    data,
    blockHash: zeroHash,
    blockNumber: 1n,
    logIndex: 0,
    transactionHash: zeroHash,
    transactionIndex: 0,
    removed: false,
  }
}

const events = invalidationEventsAbi

test('collects who a batch of logs affects', () => {
  const logs = [
    // Mint: the zero address is no one.
    log(pass, events, 'Transfer', { from: zeroAddress, to: a, tokenId: 1n }),
    log(pass, events, 'Transfer', { from: a, to: b, tokenId: 1n }),
    log(multi, events, 'TransferSingle', { operator: d, from: b, to: c, id: 7n, value: 1n }),
    log(multi, events, 'TransferBatch', { operator: d, from: c, to: a, ids: [7n], values: [1n] }),
    log(pass, events, 'RoleGranted', { role: zeroHash, account: d, sender: a }),
    log(pass, events, 'RoleRevoked', { role: zeroHash, account: d, sender: a }),
    log(pass, events, 'Deposited', { tokenId: 2n, from: c, amount: 5n, newCredit: 10n }),
    log(pass, events, 'Settled', { batchId: zeroHash, tokenId: 3n, requested: 1n, deducted: 1n }),
    log(pass, events, 'Shortfall', { batchId: zeroHash, tokenId: 3n, requested: 2n, deducted: 1n }),
  ]
  expect(decodeInvalidationLogs({ logs })).toStrictEqual({
    // TransferSingle's operator and RoleGranted's sender keep their facts.
    addresses: [a, b, c, d],
    tokens: [
      { contract: pass, tokenId: 1n },
      { contract: pass, tokenId: 2n },
      { contract: pass, tokenId: 3n },
    ],
  })
})

test('skips logs it does not know, including an ERC-20 Transfer', () => {
  const logs = [
    log(
      multi,
      erc20Abi.filter((item) => item.type === 'event'),
      'Transfer',
      {
        from: a,
        to: b,
        value: 5n,
      },
    ),
    log(pass, events, 'Transfer', { from: a, to: b, tokenId: 1n }),
    log(pass, parseAbi(['event Paused(address account)']), 'Paused', { account: c }),
  ]
  // The ERC-20 transfer has the same topic but two indexed arguments, not three.
  expect(decodeInvalidationLogs({ logs })).toStrictEqual({
    addresses: [a, b],
    tokens: [{ contract: pass, tokenId: 1n }],
  })
})

test('covers every AccessPass event that names a pass, but not approvals', () => {
  expect(invalidationEventsAbi.map((event) => event.name)).toStrictEqual([
    'Transfer',
    'TransferBatch',
    'TransferSingle',
    'RoleGranted',
    'RoleRevoked',
    'Deposited',
    'Settled',
    'Shortfall',
  ])
})
