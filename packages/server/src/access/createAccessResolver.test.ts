import { devAccounts } from '@accesspoint/contracts'
import { type StartDevChainReturnType, startDevChain } from '@accesspoint/contracts/devChain'
import { deployTestErc1155, testErc1155Abi } from '@accesspoint/contracts/testing'
import { InvalidInputError } from '@accesspoint/core'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  http,
  type Transport,
  zeroHash,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { waitForTransactionReceipt, writeContract } from 'viem/actions'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type AccessLogger, createAccessResolver } from './createAccessResolver.js'
import { defaultRoles } from './defaultRoles.js'
import { toRoleHash } from './toRoleHash.js'
import type { RolesConfig } from './types.js'

let chain: StartDevChainReturnType
let erc1155: Address
const [
  { address: admin },
  { address: holder1 },
  { address: holder2 },
  { address: holder3 },
  { address: withoutPass },
  ,
  ,
  { address: outsider },
] = devAccounts

beforeAll(async () => {
  chain = await startDevChain({ port: 0 })
  const walletClient = createWalletClient({
    account: privateKeyToAccount(devAccounts[0].privateKey),
    chain: chain.chain,
    transport: http(chain.rpcUrl),
  })
  const publicClient = createPublicClient({ chain: chain.chain, transport: http(chain.rpcUrl) })
  ;({ address: erc1155 } = await deployTestErc1155({ walletClient, publicClient }))
  // holder2 gets 3 of token 7, holder3 1 of token 7, withoutPass 5 of token 8.
  for (const [to, id, amount] of [
    [holder2, 7n, 3n],
    [holder3, 7n, 1n],
    [withoutPass, 8n, 5n],
  ] as const) {
    const hash = await writeContract(walletClient, {
      address: erc1155,
      abi: testErc1155Abi,
      functionName: 'mint',
      args: [to, id, amount],
    })
    await waitForTransactionReceipt(publicClient, { hash })
  }
})

afterAll(async () => {
  await chain?.stop()
})

/** `http` that counts the JSON-RPC requests it sends, by method. */
function countingHttp(url: string) {
  const counts = new Map<string, number>()
  const transport: Transport = (options) => {
    const inner = http(url)(options)
    return {
      ...inner,
      request: (async (args, requestOptions) => {
        counts.set(args.method, (counts.get(args.method) ?? 0) + 1)
        return inner.request(args, requestOptions)
      }) as typeof inner.request,
    }
  }
  return { transport, count: (method: string) => counts.get(method) ?? 0 }
}

function collectingLogger() {
  const lines: { level: string; object: object; message: string | undefined }[] = []
  const logger: AccessLogger = {
    warn: (object, message) => lines.push({ level: 'warn', object, message }),
    error: (object, message) => lines.push({ level: 'error', object, message }),
    debug: () => {},
  }
  return { logger, lines }
}

function resolverFor(roles: RolesConfig, transport?: Transport) {
  return createAccessResolver({
    chains: [
      transport
        ? { chainId: chain.chainId, transport }
        : { chainId: chain.chainId, rpcUrl: chain.rpcUrl },
    ],
    roles,
    passContracts: [{ chainId: chain.chainId, address: chain.contracts.accessPass }],
    watch: false,
    logger: collectingLogger().logger,
  })
}

describe('roles', () => {
  test('default roles: holders hold, admin by AccessControl or allowlist', async () => {
    const resolver = resolverFor(
      defaultRoles({
        chainId: chain.chainId,
        accessPass: chain.contracts.accessPass,
        adminAddresses: [outsider],
      }),
    )
    const rolesOf = async (address: Address) => (await resolver.getAccess(address)).roles
    expect(await rolesOf(admin)).toStrictEqual(['admin'])
    expect(await rolesOf(holder1)).toStrictEqual(['holder'])
    expect(await rolesOf(holder2)).toStrictEqual(['holder'])
    expect(await rolesOf(holder3)).toStrictEqual(['holder'])
    expect(await rolesOf(withoutPass)).toStrictEqual([])
    expect(await rolesOf(outsider)).toStrictEqual(['admin'])
    await resolver.close()
  })

  test('erc1155 balances, any and all', async () => {
    const { chainId } = chain
    const contract = chain.contracts.accessPass
    const resolver = resolverFor({
      gold: { type: 'erc1155', chainId, contract: erc1155, tokenId: 7n },
      goldWhale: { type: 'erc1155', chainId, contract: erc1155, tokenId: 7n, minBalance: 2n },
      silver: { type: 'erc1155', chainId, contract: erc1155, tokenId: 8n, minBalance: 5n },
      member: {
        any: [
          { type: 'erc721', chainId, contract },
          { type: 'erc1155', chainId, contract: erc1155, tokenId: 8n },
        ],
      },
      vip: {
        all: [
          { type: 'erc721', chainId, contract },
          { type: 'erc1155', chainId, contract: erc1155, tokenId: 7n, minBalance: 2n },
        ],
      },
      minter: { type: 'accessControl', chainId, contract, role: toRoleHash('MINTER_ROLE') },
    })
    const rolesOf = async (address: Address) => (await resolver.getAccess(address)).roles
    expect(await rolesOf(admin)).toStrictEqual(['minter'])
    expect(await rolesOf(holder1)).toStrictEqual(['member'])
    expect(await rolesOf(holder2)).toStrictEqual(['gold', 'goldWhale', 'member', 'vip'])
    expect(await rolesOf(holder3)).toStrictEqual(['gold', 'member'])
    expect(await rolesOf(withoutPass)).toStrictEqual(['silver', 'member'])
    expect(await rolesOf(outsider)).toStrictEqual([])
    await resolver.close()
  })

  test('a rule on a contract that lacks the function is "no", and logged', async () => {
    const { logger, lines } = collectingLogger()
    const resolver = createAccessResolver({
      chains: [{ chainId: chain.chainId, rpcUrl: chain.rpcUrl }],
      roles: {
        holder: { type: 'erc721', chainId: chain.chainId, contract: chain.contracts.accessPass },
        // MockUSDC has no hasRole; an address without code returns nothing at all.
        broken: {
          any: [
            {
              type: 'accessControl',
              chainId: chain.chainId,
              contract: chain.contracts.usdc,
              role: zeroHash,
            },
            { type: 'erc721', chainId: chain.chainId, contract: outsider },
          ],
        },
      },
      watch: false,
      logger,
    })
    expect((await resolver.getAccess(holder1)).roles).toStrictEqual(['holder'])
    expect(lines.map((line) => line.object)).toMatchObject([
      { fact: 'hasRole', contract: chain.contracts.usdc },
      { fact: 'erc721Balance', contract: outsider },
    ])
    await resolver.close()
  })
})

test('passes with their credit', async () => {
  const resolver = resolverFor({})
  const pass = { chainId: chain.chainId, contract: chain.contracts.accessPass }
  for (const [index, holder] of [holder1, holder2, holder3].entries()) {
    const expected = chain.passes[index]
    expect(await resolver.getAccess(holder)).toStrictEqual({
      address: holder,
      roles: [],
      passes: [{ ...pass, tokenId: expected?.tokenId, creditMicroUsd: expected?.creditMicroUsd }],
    })
  }
  expect(chain.passes.map((p) => p.creditMicroUsd)).toStrictEqual([
    50_000_000n,
    5_000_000n,
    10_000n,
  ])
  expect((await resolver.getAccess(withoutPass)).passes).toStrictEqual([])
  await resolver.close()
})

describe('reads', () => {
  const roles = (): RolesConfig => ({
    ...defaultRoles({ chainId: chain.chainId, accessPass: chain.contracts.accessPass }),
    gold: { type: 'erc1155', chainId: chain.chainId, contract: erc1155, tokenId: 7n },
  })

  test('one multicall per evaluation; a second call is served from the cache', async () => {
    const { transport, count } = countingHttp(chain.rpcUrl)
    const resolver = resolverFor(roles(), transport)

    const first = await resolver.getAccess(holder2)
    // erc721 balance, hasRole, erc1155 balance and passesOf, all in one eth_call.
    expect(count('eth_call')).toBe(1)
    expect(resolver.stats()).toMatchObject({ hits: 0, misses: 4, reads: 1, entries: 1 })

    expect(await resolver.getAccess(holder2.toLowerCase())).toStrictEqual(first)
    expect(count('eth_call')).toBe(1)
    expect(resolver.stats()).toMatchObject({ hits: 4, misses: 4, reads: 1 })

    resolver.invalidate(holder2)
    await resolver.getAccess(holder2)
    expect(count('eth_call')).toBe(2)
    // The chain id is checked once, not per read.
    expect(count('eth_chainId')).toBe(1)
    await resolver.close()
  })

  test('concurrent calls for one address share one read', async () => {
    const { transport, count } = countingHttp(chain.rpcUrl)
    const resolver = resolverFor(roles(), transport)
    const results = await Promise.all(Array.from({ length: 10 }, () => resolver.getAccess(holder1)))
    expect(new Set(results.map((result) => JSON.stringify(result.roles))).size).toBe(1)
    expect(count('eth_call')).toBe(1)
    expect(resolver.stats()).toMatchObject({ coalesced: 9, reads: 1 })
    await resolver.close()
  })

  test('roles stay cached longer than ownership', async () => {
    const { transport, count } = countingHttp(chain.rpcUrl)
    const resolver = createAccessResolver({
      chains: [{ chainId: chain.chainId, transport }],
      roles: roles(),
      watch: false,
      ttl: { ownershipMs: 50, rolesMs: 60_000 },
    })
    await resolver.getAccess(admin)
    await new Promise((resolve) => setTimeout(resolve, 80))
    await resolver.getAccess(admin)
    expect(count('eth_call')).toBe(2)
    // Only the two balances were read again; hasRole came from the cache.
    expect(resolver.stats()).toMatchObject({ hits: 1, misses: 5 })
    await resolver.close()
  })

  test('rejects bad addresses and bad configs', async () => {
    const resolver = resolverFor(roles())
    await expect(resolver.getAccess('0x1234')).rejects.toThrowError(InvalidInputError)
    await resolver.close()
    expect(() =>
      createAccessResolver({
        chains: [{ chainId: 1, rpcUrl: 'http://127.0.0.1:1' }],
        roles: roles(),
        passContracts: [{ chainId: 5, address: chain.contracts.accessPass }],
      }),
    ).toThrowError(
      expect.objectContaining({
        issues: [
          {
            path: 'roles.holder',
            message: 'Uses chain 31337, which has no RPC configured; add it to the chains.',
          },
          {
            path: 'roles.admin',
            message: 'Uses chain 31337, which has no RPC configured; add it to the chains.',
          },
          {
            path: 'roles.gold',
            message: 'Uses chain 31337, which has no RPC configured; add it to the chains.',
          },
          {
            path: 'passContracts[0].chainId',
            message: 'Chain 5 has no RPC configured; add it to the chains.',
          },
        ],
      }),
    )
  })

  test('an RPC serving another chain is refused', async () => {
    const { logger, lines } = collectingLogger()
    const resolver = createAccessResolver({
      chains: [{ chainId: 1, rpcUrl: chain.rpcUrl }],
      roles: { holder: { type: 'erc721', chainId: 1, contract: chain.contracts.accessPass } },
      watch: false,
      logger,
    })
    await expect(resolver.getAccess(holder1)).rejects.toMatchObject({
      code: 'CHAIN_UNAVAILABLE',
      chainId: 1,
    })
    expect(lines).toMatchObject([{ level: 'error', object: { chainId: 1, reported: 31337 } }])
    await resolver.close()
  })
})

test('invalidate notifies listeners until they unsubscribe; a throwing one is logged', async () => {
  const { logger, lines } = collectingLogger()
  const resolver = createAccessResolver({
    chains: [{ chainId: chain.chainId, rpcUrl: chain.rpcUrl }],
    roles: defaultRoles({ chainId: chain.chainId, accessPass: chain.contracts.accessPass }),
    watch: false,
    logger,
  })
  const seen: Address[] = []
  const unsubscribe = resolver.onInvalidate((address) => seen.push(address))
  resolver.onInvalidate(() => {
    throw new Error('listener bug')
  })
  resolver.invalidate(holder1.toLowerCase())
  unsubscribe()
  resolver.invalidate(holder2)
  expect(seen).toStrictEqual([holder1])
  expect(lines).toMatchObject([
    { level: 'error', message: 'access: invalidation listener threw' },
    { level: 'error', message: 'access: invalidation listener threw' },
  ])
  expect(resolver.stats().invalidations).toBe(2)
  await resolver.close()
})
