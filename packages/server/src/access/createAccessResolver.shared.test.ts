import { accessPassAbi, devAccounts } from '@accesspoint/contracts'
import { type StartDevChainReturnType, startDevChain } from '@accesspoint/contracts/devChain'
import { Redis } from 'ioredis'
import { createPublicClient, createWalletClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { waitForTransactionReceipt, writeContract } from 'viem/actions'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { createRpcProxy, type RpcProxy } from '../../test/createRpcProxy.js'
import { createTestRedisPrefix } from '../../test/testRedis.js'
import { type AccessResolver, createAccessResolver } from './createAccessResolver.js'
import { createSharedFactStore } from './createSharedFactStore.js'
import { defaultRoles } from './defaultRoles.js'

// Two instances (two resolvers, each with its own RPC proxy and Redis connection) sharing one
// Redis as the second tier of their access caches.
const [, holder1, holder2, , withoutPass] = devAccounts
let chain: StartDevChainReturnType
let redis: Awaited<ReturnType<typeof createTestRedisPrefix>>
const clients: Redis[] = []
const instances: { resolver: AccessResolver; rpc: RpcProxy }[] = []

beforeAll(async () => {
  chain = await startDevChain({ port: 0 })
  redis = await createTestRedisPrefix()
  for (let index = 0; index < 2; index++) {
    const rpc = await createRpcProxy(chain.rpcUrl)
    const client = new Redis(redis.url)
    await client.ping()
    clients.push(client)
    instances.push({
      rpc,
      resolver: createAccessResolver({
        chains: [{ chainId: chain.chainId, rpcUrl: rpc.url }],
        roles: defaultRoles({ chainId: chain.chainId, accessPass: chain.contracts.accessPass }),
        passContracts: [{ chainId: chain.chainId, address: chain.contracts.accessPass }],
        ttl: { ownershipMs: 600_000, rolesMs: 600_000 },
        pollingIntervalMs: 25,
        timeoutMs: 500,
        shared: createSharedFactStore({ client, keyPrefix: redis.keyPrefix }),
      }),
    })
  }
})

afterAll(async () => {
  for (const { resolver, rpc } of instances) {
    await resolver.close()
    await rpc.close()
  }
  for (const client of clients) client.disconnect()
  await redis?.cleanup()
  await chain?.stop()
})

const ethCalls = (rpc: RpcProxy) => rpc.methods.filter((method) => method === 'eth_call').length

test('what one instance read, the other serves without a chain read, also while its RPC is down', async () => {
  const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]]
  const access = await a.resolver.getAccess(holder1.address)
  expect(access).toMatchObject({ roles: ['holder'], passes: [{ tokenId: 1n }] })
  // Every fact the roles need (pass balance, admin role, passes) came from the chain.
  const { misses: facts } = a.resolver.stats()
  expect(facts).toBeGreaterThanOrEqual(3)
  expect(a.resolver.stats().sharedHits).toBe(0)

  b.rpc.down()
  await vi.waitFor(async () => {
    expect(await b.resolver.getAccess(holder1.address)).toEqual(access)
  })
  expect(ethCalls(b.rpc)).toBe(0)
  expect(b.resolver.stats()).toMatchObject({ misses: 0, sharedHits: facts })
  // Something neither tier has: fail closed.
  await expect(b.resolver.getAccess(holder2.address)).rejects.toMatchObject({
    code: 'CHAIN_UNAVAILABLE',
  })
  b.rpc.up()
})

test('a sale seen by one instance voids the shared entry: the other reads the chain again', async () => {
  const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]]
  await a.resolver.getAccess(holder2.address)
  const before = b.resolver.stats()
  await vi.waitFor(async () => {
    expect((await b.resolver.getAccess(holder2.address)).roles).toEqual(['holder'])
  })
  expect(b.resolver.stats().sharedHits).toBeGreaterThan(before.sharedHits)
  expect(b.resolver.stats().misses).toBe(before.misses)

  // B's RPC is down, so only A's watcher can see the Transfer; B still has its own entry.
  b.rpc.down()
  const wallet = createWalletClient({
    account: privateKeyToAccount(holder2.privateKey),
    chain: chain.chain,
    transport: http(chain.rpcUrl),
  })
  const hash = await writeContract(wallet, {
    address: chain.contracts.accessPass,
    abi: accessPassAbi,
    functionName: 'transferFrom',
    args: [holder2.address, withoutPass.address, 2n],
  })
  await waitForTransactionReceipt(
    createPublicClient({ chain: chain.chain, transport: http(chain.rpcUrl) }),
    { hash, pollingInterval: 10 },
  )
  await vi.waitFor(async () => {
    expect((await a.resolver.getAccess(holder2.address)).roles).toEqual([])
  })
  // (Between instances, the in-process entry goes by the Redis pub/sub of shareInvalidations,
  // tested in shared/sharedState.test.ts; here B drops it itself.)
  b.resolver.forgetAll()
  b.rpc.up()
  await vi.waitFor(async () => {
    expect((await b.resolver.getAccess(holder2.address)).roles).toEqual([])
  })
})
