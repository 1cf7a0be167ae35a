import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { accessPassAbi, devAccounts } from '@accesspoint/contracts'
import {
  type StartDevChainReturnType as DevChain,
  startDevChain,
} from '@accesspoint/contracts/devChain'
import { formatUsd } from '@accesspoint/core'
import { createSiweMessage } from '@accesspoint/core/siwe'
import { createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { readContract } from 'viem/actions'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createPostgresDatabase } from '../../test/createPostgresDatabase.js'
import { loadConfig } from '../config/loadConfig.js'
import { type StartServerReturnType, startServer } from '../startServer.js'

// `pnpm settle` as operators run it: a process of its own, with the server's environment.
const settle = fileURLToPath(new URL('./settle.ts', import.meta.url))

type Run = { code: number | null; stdout: string; stderr: string }

function runSettle(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@accesspoint/source', settle, ...args],
    { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })))
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

type Answer = { result?: { data: { json: Record<string, unknown> } } }

async function trpc(url: string, path: string, input?: unknown) {
  const response = await fetch(`${url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: input ?? null }),
  })
  return ((await response.json()) as Answer).result?.data.json ?? {}
}

/** Signs in as dev account `index` and makes `count` metered requests; returns what they cost. */
async function spend(url: string, index: number, count: number): Promise<bigint> {
  const account = privateKeyToAccount(devAccounts[index]?.privateKey ?? '0x')
  const nonce = (await trpc(url, 'auth.nonce')) as { nonce: string; domain: string; uri: string }
  const message = createSiweMessage({
    domain: nonce.domain,
    uri: nonce.uri,
    nonce: nonce.nonce,
    address: account.address,
    version: '1',
    chainId: 31337,
    issuedAt: new Date().toISOString(),
  })
  const { token } = (await trpc(url, 'auth.signIn', {
    message,
    signature: await account.signMessage({ message }),
  })) as { token: string }
  let total = 0n
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        model: 'dev-mini',
        messages: [{ role: 'user', content: `Quote ${i}` }],
        max_tokens: 16,
      }),
    })
    expect(response.status).toBe(200)
    total += BigInt(response.headers.get('x-accesspoint-cost-micro-usd') ?? '0')
  }
  expect(total).toBeGreaterThan(0n)
  return total
}

const creditOf = (rpcUrl: string, address: `0x${string}`, tokenId: bigint) =>
  readContract(createPublicClient({ transport: http(rpcUrl) }), {
    address,
    abi: accessPassAbi,
    functionName: 'creditOf',
    args: [tokenId],
  })

const noStackTrace = /\n\s+at /

// Real processes (tsx, anvil, PostgreSQL or PGlite) on a busy machine: give them room.
describe('pnpm settle', { timeout: 120_000 }, () => {
  test('bad options exit 2 with the usage, not a stack trace', async () => {
    const run = await runSettle({}, '--bogus')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Unknown option --bogus.')
    expect(run.stderr).toContain('Usage: pnpm settle [--dry-run | --reconcile]')
    expect(run.stderr).not.toMatch(noStackTrace)
    const help = await runSettle({}, '--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--reconcile')
  })

  describe('on PostgreSQL, next to a running server', () => {
    let chain: DevChain
    let server: StartServerReturnType
    let env: NodeJS.ProcessEnv
    let dropDatabase: () => Promise<void>
    let charged: bigint

    beforeAll(async () => {
      chain = await startDevChain({ port: 0 })
      const database = await createPostgresDatabase('ap_settle')
      dropDatabase = database.drop
      env = {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: String(await freePort()),
        DATABASE_URL: database.url,
        MIGRATE_ON_START: 'true',
        SEED_ON_START: 'true',
        RPC_URL: chain.rpcUrl,
        ACCESS_PASS_ADDRESS: chain.contracts.accessPass,
        CHAIN_IDS: '31337',
        SETTLEMENT_PRIVATE_KEY: devAccounts[0].privateKey,
        SETTLEMENT_DELAY: '0',
        SETTLEMENT_INTERVAL: 'off',
        SETTLEMENT_CONFIRMATIONS: '1',
      }
      server = await startServer(loadConfig(env))
      charged = await spend(server.url, 1, 3)
    })
    afterAll(async () => {
      await server?.close()
      await dropDatabase?.()
      await chain?.stop()
    })

    test('--dry-run prints what would be settled and writes nothing', async () => {
      const run = await runSettle(env, '--dry-run')
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('Dry run: nothing was written or sent. Would settle:')
      expect(run.stdout).toMatch(new RegExp(`#1\\s+${escapeRegExp(formatUsd(charged))}\\s+\\$0.00`))
      expect(run.stdout).toContain('1 pass(es)')
      expect(await server.database.prisma.settlementBatch.count()).toBe(0)
      expect(await creditOf(chain.rpcUrl, chain.contracts.accessPass, 1n)).toBe(50_000_000n)
    })

    test('a run deducts the charges on-chain and prints the summary table', async () => {
      const run = await runSettle(env)
      expect(run.code, run.stderr).toBe(0)
      // Not a terminal: the progress is plain lines.
      expect(run.stderr).toContain('planned: 1 pass(es)')
      expect(run.stderr).toMatch(/batch 0x[0-9a-f]{64} confirmed in block \d+/)
      expect(run.stdout).toMatch(/pass\s+charges\s+debt\s+requested\s+deducted\s+shortfall/)
      expect(run.stdout).toMatch(
        /0x[0-9a-f]{64}\s+CONFIRMED\s+1\s+\$[\d.]+\s+\$[\d.]+\s+0x[0-9a-f]{64}/,
      )
      expect(run.stdout).toContain(
        `Settled ${formatUsd(charged)} of ${formatUsd(charged)} from 1 pass(es) in 1 transaction(s).`,
      )
      expect(await creditOf(chain.rpcUrl, chain.contracts.accessPass, 1n)).toBe(
        50_000_000n - charged,
      )
      const again = await runSettle(env)
      expect(again.code).toBe(0)
      expect(again.stdout).toContain('Nothing to settle')
    })

    test('--reconcile: clean, then a planted discrepancy is printed with exit code 1', async () => {
      const clean = await runSettle(env, '--reconcile')
      expect(clean.code, clean.stderr).toBe(0)
      expect(clean.stdout).toContain('No discrepancies: the ledger matches the chain.')

      const item = await server.database.prisma.settlementItem.findFirstOrThrow()
      await server.database.prisma.settlementItem.update({
        where: { batchId_passId: { batchId: item.batchId, passId: item.passId } },
        data: { deductedMicroUsd: (item.deductedMicroUsd ?? 0n) - 1n },
      })
      const planted = await runSettle(env, '--reconcile')
      expect(planted.code).toBe(1)
      expect(planted.stdout).toContain('[item-deducted-mismatch]')
      expect(planted.stdout).toContain(`Pass #1 in batch ${item.batchId}`)
      await server.database.prisma.settlementItem.update({
        where: { batchId_passId: { batchId: item.batchId, passId: item.passId } },
        data: { deductedMicroUsd: item.deductedMicroUsd },
      })
    })

    test('an unreachable chain exits 2 with the fix, not a stack trace', async () => {
      const run = await runSettle({ ...env, RPC_URL: `http://127.0.0.1:${await freePort()}/key` })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('RPC_URL does not answer')
      expect(run.stderr).not.toContain('/key')
      expect(run.stderr).not.toMatch(noStackTrace)
    })
  })

  describe('in `pnpm dev`: the server holds the embedded database', () => {
    let dataDir: string
    let server: StartServerReturnType
    let env: NodeJS.ProcessEnv
    let charged: bigint

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'ap-settle-'))
      // As `pnpm dev` with SETTLEMENT_DELAY=0: the dev chain, the embedded database.
      env = {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        DEV_CHAIN_PORT: String(await freePort()),
        SETTLEMENT_DELAY: '0',
        SETTLEMENT_INTERVAL: 'off',
      }
      server = await startServer(loadConfig(env))
      charged = await spend(server.url, 1, 2)
    })
    afterAll(async () => {
      await server?.close()
      await rm(dataDir, { recursive: true, force: true })
    })

    test("settles account 1's charges through the server, and --reconcile reports none", async () => {
      const accessPass = server.devChain?.contracts.accessPass ?? '0x'
      const rpcUrl = server.devChain?.rpcUrl ?? ''
      const run = await runSettle(env)
      expect(run.code, JSON.stringify(run)).toBe(0)
      expect(run.stderr).toContain('Settlement key: anvil account 0')
      expect(run.stderr).toContain(`The embedded database is held by the server at ${server.url}`)
      expect(run.stdout).toMatch(new RegExp(`#1\\s+${escapeRegExp(formatUsd(charged))}`))
      expect(run.stdout).toContain(`Settled ${formatUsd(charged)} of ${formatUsd(charged)}`)
      expect(await creditOf(rpcUrl, accessPass, 1n)).toBe(50_000_000n - charged)

      const reconcile = await runSettle(env, '--reconcile')
      expect(reconcile.code, reconcile.stderr).toBe(0)
      expect(reconcile.stdout).toContain('No discrepancies')

      const dryRun = await runSettle(env, '--dry-run')
      expect(dryRun.code).toBe(0)
      expect(dryRun.stdout).toContain('Dry run: nothing to settle')
    })

    test('a settlement key that is not an admin of the server is told so', async () => {
      const run = await runSettle({ ...env, SETTLEMENT_PRIVATE_KEY: devAccounts[1].privateKey })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain(
        `refused the settlement key's address ${devAccounts[1].address}: This needs the admin role.`,
      )
      expect(run.stderr).toContain('add the address to ADMIN_ADDRESSES')
      expect(run.stderr).not.toMatch(noStackTrace)
    })
  })
})

function escapeRegExp(text: string): string {
  return text.replace(/[$.*+?^()[\]{}|\\]/g, '\\$&')
}
