import { readFileSync } from 'node:fs'
import { devAccounts } from '@accesspoint/contracts'
import {
  type StartDevChainReturnType as DevChain,
  startDevChain,
} from '@accesspoint/contracts/devChain'
import { deploySmartWalletFactory, smartWalletFactoryAbi } from '@accesspoint/contracts/testing'
import {
  createSiweMessage,
  InvalidSiweMessageError,
  type SiweMessage,
} from '@accesspoint/core/siwe'
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  type PublicClient,
  serializeErc6492Signature,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ChainUnavailableError } from '../access/errors.js'
import { verifySiweSignature } from './verifySiweSignature.js'

// Public SIWE test data, read by path (see ../shared/conformance/siwe/SOURCES.md).
const conformanceDir = new URL('../../../../../shared/conformance/siwe/', import.meta.url)
type Vector = SiweMessage & {
  signature: Hex
  time?: string
  domainBinding?: string
  matchNonce?: string
}
const readVectors = (file: string) =>
  Object.entries(JSON.parse(readFileSync(new URL(file, conformanceDir), 'utf8'))) as [
    string,
    Vector,
  ][]

/**
 * The signature half of a vector. Parsing and the time, domain and nonce checks of the same
 * vectors run in @accesspoint/core (src/siwe/conformance.test.ts).
 */
async function verifyVectorSignature(vector: Vector): Promise<boolean> {
  const { signature, time: _time, domainBinding: _domain, matchNonce: _nonce, ...fields } = vector
  const message = createSiweMessage(fields)
  return verifySiweSignature({ address: fields.address, message, signature })
}

describe('conformance: verification_positive.json', () => {
  test.each(readVectors('verification_positive.json'))(
    '%s: the signature verifies',
    async (_name, vector) => {
      expect(await verifyVectorSignature(vector)).toBe(true)
    },
  )
})

// SOURCES.md: these carry signatures that do not recover to the message's address.
const badSignatures = ['malformed signature', 'wrong signature']
// Impossible timestamps (February 31st, ...): no message can be built from them at all.
const notMessages = ['invalid issuedAt', 'invalid notBefore', 'invalid expirationTime']
// The rest have valid signatures and are refused by the time, domain and nonce checks in core.
describe('conformance: verification_negative.json', () => {
  test.each(readVectors('verification_negative.json'))('%s', async (name, vector) => {
    if (notMessages.includes(name)) {
      await expect(verifyVectorSignature(vector)).rejects.toBeInstanceOf(InvalidSiweMessageError)
      return
    }
    expect(await verifyVectorSignature(vector)).toBe(!badSignatures.includes(name))
  })
})

describe('contract wallets on anvil', () => {
  let chain: DevChain
  let client: PublicClient
  let factory: `0x${string}`
  const owner = privateKeyToAccount(devAccounts[5]?.privateKey ?? '0x')
  const message = 'app.example.com wants you to sign in' // any text: only the signature matters here

  beforeAll(async () => {
    chain = await startDevChain({ port: 0 })
    client = createPublicClient({ transport: http(chain.rpcUrl) })
    const walletClient = createWalletClient({ account: owner, transport: http(chain.rpcUrl) })
    ;({ address: factory } = await deploySmartWalletFactory({
      walletClient,
      publicClient: client,
    }))
  })
  afterAll(() => chain?.stop())

  async function walletAddress(salt: Hex) {
    return client.readContract({
      address: factory,
      abi: smartWalletFactoryAbi,
      functionName: 'getAddress',
      args: [owner.address, salt],
    })
  }

  test('an EIP-1271 wallet: valid for its owner, not for another key', async () => {
    const salt = `0x${'01'.padStart(64, '0')}` as Hex
    const walletClient = createWalletClient({ account: owner, transport: http(chain.rpcUrl) })
    const hash = await walletClient.writeContract({
      chain: null,
      address: factory,
      abi: smartWalletFactoryAbi,
      functionName: 'deploy',
      args: [owner.address, salt],
    })
    await client.waitForTransactionReceipt({ hash })
    const address = await walletAddress(salt)
    expect(await client.getCode({ address })).not.toBeUndefined()

    const signature = await owner.signMessage({ message })
    expect(await verifySiweSignature({ address, message, signature, client })).toBe(true)
    // Without a client on its chain a contract wallet cannot be checked, so it is refused.
    expect(await verifySiweSignature({ address, message, signature })).toBe(false)
    const stranger = privateKeyToAccount(devAccounts[6]?.privateKey ?? '0x')
    const forged = await stranger.signMessage({ message })
    expect(await verifySiweSignature({ address, message, signature: forged, client })).toBe(false)
  })

  test('an EIP-6492 wallet that is not deployed yet', async () => {
    const salt = `0x${'02'.padStart(64, '0')}` as Hex
    const address = await walletAddress(salt)
    expect(await client.getCode({ address })).toBeUndefined()
    const signature = serializeErc6492Signature({
      address: factory,
      data: encodeFunctionData({
        abi: smartWalletFactoryAbi,
        functionName: 'deploy',
        args: [owner.address, salt],
      }),
      signature: await owner.signMessage({ message }),
    })
    expect(await verifySiweSignature({ address, message, signature, client })).toBe(true)
    const other = await walletAddress(`0x${'03'.padStart(64, '0')}`)
    expect(await verifySiweSignature({ address: other, message, signature, client })).toBe(false)
  })

  test('an unreachable RPC is CHAIN_UNAVAILABLE, never "valid" and never "bad signature"', async () => {
    const down = createPublicClient({
      transport: // Nothing listens on port 1: connections are refused at once.
        http('http://127.0.0.1:1', { retryCount: 0 }),
    })
    const address = await walletAddress(`0x${'01'.padStart(64, '0')}`)
    const signature = await owner.signMessage({ message })
    await expect(
      verifySiweSignature({ address, message, signature, client: down }),
    ).rejects.toBeInstanceOf(ChainUnavailableError)
  })

  test('a plain account needs no RPC at all', async () => {
    const account = privateKeyToAccount(devAccounts[1]?.privateKey ?? '0x')
    const signature = await account.signMessage({ message })
    expect(await verifySiweSignature({ address: account.address, message, signature })).toBe(true)
  })
})
