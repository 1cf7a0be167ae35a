import { createServer } from 'node:net'
import { devAccounts } from '@accesspoint/contracts'
import { type StartDevChainReturnType, startDevChain } from '@accesspoint/contracts/devChain'
import { createClient, http, type Transport, zeroHash } from 'viem'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ChainUnavailableError } from './errors.js'
import { getFactKey } from './getFactKey.js'
import { readChainFacts } from './readChainFacts.js'
import type { AccessFact } from './types.js'

let chain: StartDevChainReturnType
const [{ address: admin }, { address: holder1 }] = devAccounts

beforeAll(async () => {
  chain = await startDevChain({ port: 0 })
})

afterAll(async () => {
  await chain?.stop()
})

function counted(url: string) {
  const methods: string[] = []
  const transport: Transport = (options) => {
    const inner = http(url, { retryCount: 0 })(options)
    return {
      ...inner,
      request: (async (args, requestOptions) => {
        methods.push(args.method)
        return inner.request(args, requestOptions)
      }) as typeof inner.request,
    }
  }
  return { client: createClient({ transport }), methods }
}

test('reads facts in one eth_call, without Multicall3 deployed', async () => {
  const { client, methods } = counted(chain.rpcUrl)
  const contract = chain.contracts.accessPass
  const facts: AccessFact[] = [
    { type: 'erc721Balance', chainId: chain.chainId, contract },
    { type: 'hasRole', chainId: chain.chainId, contract, role: zeroHash },
    // MockUSDC is ERC-20: its balanceOf(address) answers, ERC-1155's balanceOf(address, id) reverts.
    { type: 'erc1155Balance', chainId: chain.chainId, contract: chain.contracts.usdc, tokenId: 1n },
    { type: 'passes', chainId: chain.chainId, contract },
  ]

  const forAdmin = await readChainFacts({
    client,
    chainId: chain.chainId,
    address: admin,
    facts,
    timeoutMs: 2_000,
  })
  expect(methods).toStrictEqual(['eth_call'])
  expect(forAdmin.values.get(getFactKey(facts[0] as AccessFact))).toBe(0n)
  expect(forAdmin.values.get(getFactKey(facts[1] as AccessFact))).toBe(true)
  // A reverting call is the chain's answer, not an outage: "no", reported for the logs.
  expect(forAdmin.values.get(getFactKey(facts[2] as AccessFact))).toBe(0n)
  expect(forAdmin.failures.map((failure) => failure.fact)).toStrictEqual([facts[2]])
  expect(forAdmin.values.get(getFactKey(facts[3] as AccessFact))).toStrictEqual([])

  const forHolder = await readChainFacts({
    client,
    chainId: chain.chainId,
    address: holder1,
    facts: [facts[0] as AccessFact, facts[1] as AccessFact, facts[3] as AccessFact],
    timeoutMs: 2_000,
  })
  expect([...forHolder.values.values()]).toStrictEqual([
    1n,
    false,
    [{ tokenId: 1n, creditMicroUsd: 50_000_000n }],
  ])
  expect(forHolder.failures).toStrictEqual([])
})

test('an unreachable chain throws ChainUnavailableError, never "no"', async () => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (typeof address !== 'object' || !address) throw new Error('no port')
  const { client } = counted(`http://127.0.0.1:${address.port}`)
  const error = await readChainFacts({
    client,
    chainId: 31337,
    address: holder1,
    facts: [{ type: 'erc721Balance', chainId: 31337, contract: chain.contracts.accessPass }],
    timeoutMs: 2_000,
  }).catch((error: unknown) => error)
  expect(error).toBeInstanceOf(ChainUnavailableError)
  // Refused connection, reported by viem as a failure of the multicall's entries, not a timeout.
  expect((error as ChainUnavailableError).reason).toMatch(
    /^ContractFunctionExecutionError: .*HttpRequestError/,
  )
})

test('nothing to read, nothing sent', async () => {
  const { client, methods } = counted(chain.rpcUrl)
  expect(
    await readChainFacts({ client, chainId: 31337, address: holder1, facts: [], timeoutMs: 1 }),
  ).toStrictEqual({ values: new Map(), failures: [] })
  expect(methods).toStrictEqual([])
})
