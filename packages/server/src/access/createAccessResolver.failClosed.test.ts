import { createServer, type Socket } from 'node:net'
import { devAccounts } from '@accesspoint/contracts'
import { type StartDevChainReturnType, startDevChain } from '@accesspoint/contracts/devChain'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type AccessLogger, createAccessResolver } from './createAccessResolver.js'
import { defaultRoles } from './defaultRoles.js'
import { ChainUnavailableError } from './errors.js'

const [{ address: admin }, { address: holder1 }, { address: holder2 }, { address: holder3 }] =
  devAccounts
const secret = 'SECRET-API-KEY'

let chain: StartDevChainReturnType
const servers: { stop(): Promise<unknown> }[] = []

beforeAll(async () => {
  chain = await startDevChain({ port: 0 })
})

afterAll(async () => {
  await chain?.stop()
  for (const server of servers) await server.stop()
})

function collectingLogger() {
  const lines: { level: string; object: object; message: string | undefined }[] = []
  const logger: AccessLogger = {
    warn: (object, message) => lines.push({ level: 'warn', object, message }),
    error: (object, message) => lines.push({ level: 'error', object, message }),
    debug: () => {},
  }
  return { logger, lines }
}

/** A port that accepts connections and never answers, or (closed) refuses them. */
async function listen({ close }: { close: boolean }): Promise<number> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('no port')
  const stop = () => {
    // `close` waits for open connections, which this server never ends on its own.
    for (const socket of sockets) socket.destroy()
    return new Promise((resolve) => server.close(resolve))
  }
  if (close) await stop()
  else servers.push({ stop })
  return address.port
}

function expectNoSecret(value: unknown) {
  const text =
    value instanceof Error ? `${value.message}\n${JSON.stringify(value)}` : JSON.stringify(value)
  expect(text).not.toContain(secret)
  expect(text).not.toContain('127.0.0.1')
}

test('an unreachable RPC refuses with CHAIN_UNAVAILABLE and never leaks its URL', async () => {
  const port = await listen({ close: true })
  const { logger, lines } = collectingLogger()
  const resolver = createAccessResolver({
    chains: [{ chainId: 31337, rpcUrl: `http://127.0.0.1:${port}/v2/${secret}` }],
    roles: defaultRoles({ chainId: 31337, accessPass: chain.contracts.accessPass }),
    pollingIntervalMs: 20,
    logger,
  })
  const error = await resolver.getAccess(holder1).catch((error: unknown) => error)
  expect(error).toBeInstanceOf(ChainUnavailableError)
  expect(error).toMatchObject({ code: 'CHAIN_UNAVAILABLE', status: 503, chainId: 31337 })
  expect(JSON.parse(JSON.stringify(error))).toStrictEqual({
    code: 'CHAIN_UNAVAILABLE',
    message: 'Your on-chain access cannot be checked right now. Try again shortly.',
    details: 'Chain 31337 could not be read.',
    docsPath: '/errors#chain-unavailable',
  })
  expectNoSecret(error)

  // The watcher keeps failing in the background: logged once (throttled), never thrown.
  await new Promise((resolve) => setTimeout(resolve, 200))
  const watcherLines = lines.filter((line) => line.message?.includes('watching'))
  expect(watcherLines).toHaveLength(1)
  expect(lines.length).toBeGreaterThan(0)
  for (const line of lines) expectNoSecret(line)
  expect(resolver.stats()).toMatchObject({ readErrors: 1, hits: 0 })
  await resolver.close()
})

test('an RPC that never answers times out', async () => {
  const port = await listen({ close: false })
  const resolver = createAccessResolver({
    chains: [{ chainId: 31337, rpcUrl: `http://127.0.0.1:${port}/${secret}` }],
    roles: defaultRoles({ chainId: 31337, accessPass: chain.contracts.accessPass }),
    watch: false,
    timeoutMs: 300,
    logger: collectingLogger().logger,
  })
  const startedAt = Date.now()
  const error = await resolver.getAccess(holder1).catch((error: unknown) => error)
  expect(error).toBeInstanceOf(ChainUnavailableError)
  expectNoSecret(error)
  expect(Date.now() - startedAt).toBeLessThan(1_500)
  await resolver.close()
})

test('roles that need no chain are decided without one', async () => {
  const port = await listen({ close: true })
  const resolver = createAccessResolver({
    chains: [{ chainId: 31337, rpcUrl: `http://127.0.0.1:${port}` }],
    roles: { staff: { type: 'allowlist', addresses: [holder2] } },
    watch: false,
  })
  expect((await resolver.getAccess(holder2)).roles).toStrictEqual(['staff'])
  await resolver.close()
})

// Last: it stops this file's anvil.
test('fresh facts are served while the chain is down; stale ones are refused', async () => {
  const ttlMs = 2_500
  const { logger } = collectingLogger()
  const resolver = createAccessResolver({
    chains: [{ chainId: chain.chainId, rpcUrl: chain.rpcUrl }],
    roles: defaultRoles({ chainId: chain.chainId, accessPass: chain.contracts.accessPass }),
    passContracts: [{ chainId: chain.chainId, address: chain.contracts.accessPass }],
    ttl: { ownershipMs: ttlMs, rolesMs: ttlMs },
    pollingIntervalMs: 20,
    timeoutMs: 500,
    logger,
  })
  const readAt = Date.now()
  const before = await resolver.getAccess(holder1)
  expect(before.roles).toStrictEqual(['holder'])
  expect((await resolver.getAccess(admin)).roles).toStrictEqual(['admin'])

  await chain.stop()
  // Within the TTL: the cache answers, even though the chain cannot.
  expect(Date.now() - readAt).toBeLessThan(ttlMs - 200)
  expect(await resolver.getAccess(holder1)).toStrictEqual(before)
  // A wallet never read: nothing to serve, and "no roles" would be a guess.
  await expect(resolver.getAccess(holder3)).rejects.toThrowError(ChainUnavailableError)

  // After the TTL: refused, not "no roles".
  await new Promise((resolve) => setTimeout(resolve, readAt + ttlMs + 50 - Date.now()))
  await expect(resolver.getAccess(holder1)).rejects.toThrowError(ChainUnavailableError)
  await expect(resolver.getAccess(admin)).rejects.toThrowError(ChainUnavailableError)
  await resolver.close()
})
