import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { devAccounts } from '@accesspoint/contracts'
import { createSiweMessage } from '@accesspoint/core/siwe'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

// The real process, as `pnpm dev` / `pnpm start` run it: env -> config -> server -> signals.
const main = fileURLToPath(new URL('./main.ts', import.meta.url))
const tsx = ['--import', 'tsx', '--conditions=@accesspoint/source', main]

type Run = { child: ChildProcess; output: () => string; exit: Promise<number | null> }

function start(env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, tsx, {
    // DEV_CHAIN_PORT=0: each process's dev chain on a free port, so tests can run side by side.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DEV_CHAIN_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => output, exit }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function waitForReady(url: string, run: Run): Promise<Response> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (run.child.exitCode !== null) throw new Error(`server exited:\n${run.output()}`)
    const response = await fetch(`${url}/readyz`).catch(() => undefined)
    if (response) return response
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`server never answered:\n${run.output()}`)
}

type TrpcResponse = {
  result?: { data: { json: Record<string, unknown> & { token?: string; roles?: string[] } } }
  error?: { json: { data: { accessPointCode: string } } }
}

// Plain HTTP, as in the README: no client package involved. superjson sends bigints as strings.
async function trpc(url: string, path: string, input?: unknown, token?: string) {
  const response = await fetch(`${url}/trpc/${path}`, {
    method: input === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    ...(input !== undefined && { body: JSON.stringify({ json: input }) }),
  })
  return (await response.json()) as TrpcResponse
}

async function signIn(url: string, privateKey: `0x${string}` | undefined) {
  if (!privateKey) throw new Error('no such dev account')
  const account = privateKeyToAccount(privateKey)
  const nonce = (await trpc(url, 'auth.nonce', null)).result?.data.json as {
    nonce: string
    domain: string
    uri: string
  }
  const message = createSiweMessage({
    domain: nonce.domain,
    uri: nonce.uri,
    nonce: nonce.nonce,
    address: account.address,
    version: '1',
    chainId: 31337,
    statement: 'Sign in to AccessPoint.',
    issuedAt: new Date().toISOString(),
  })
  return trpc(url, 'auth.signIn', { message, signature: await account.signMessage({ message }) })
}

// Each test spawns real processes (tsx, PGlite, anvil) on a machine busy with every other
// package's tests: give them room.
describe('the server process', { timeout: 120_000 }, () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ap-main-'))
  })
  afterAll(() => rm(dataDir, { recursive: true, force: true }))

  test('bad configuration stops start-up with the variable and the fix, not a stack trace', async () => {
    const run = start({ PORT: 'eighty', DATA_DIR: dataDir })
    expect(await run.exit).toBe(1)
    expect(run.output()).toContain('Invalid configuration.')
    expect(run.output()).toContain('PORT must be a whole number')
    expect(run.output()).not.toMatch(/\n\s+at /)
  })

  test('starts on the embedded database, is ready, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort()
    const run = start({ PORT: String(port), DATA_DIR: dataDir })
    const url = `http://127.0.0.1:${port}`
    const ready = await waitForReady(url, run)
    expect(ready.status).toBe(200)
    expect((await fetch(`${url}/healthz`)).status).toBe(200)

    // The dev chain came up with it: anvil account 1 signs in and holds its $50 pass; account 4
    // holds none and is refused.
    const holder = await signIn(url, devAccounts[1]?.privateKey)
    expect(holder.result?.data.json.roles).toEqual(['holder'])
    const me = await trpc(url, 'access.me', undefined, holder.result?.data.json.token)
    expect(me.result?.data.json).toMatchObject({
      roles: ['holder'],
      passes: [{ chainId: 31337, tokenId: '1', creditMicroUsd: '50000000' }],
    })
    // The metered endpoint on the dev provider: the balance drops by exactly the charged cost.
    const completion = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${holder.result?.data.json.token}`,
      },
      body: JSON.stringify({
        model: 'dev-mini',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 16,
      }),
    })
    expect(completion.status).toBe(200)
    const cost = BigInt(completion.headers.get('x-accesspoint-cost-micro-usd') ?? '0')
    expect(cost).toBeGreaterThan(0n)
    const balance = await trpc(url, 'billing.balance', undefined, holder.result?.data.json.token)
    expect(balance.result?.data.json).toMatchObject([
      { availableMicroUsd: String(50_000_000n - cost) },
    ])

    const stranger = await signIn(url, devAccounts[4]?.privateKey)
    expect(stranger.error?.json.data.accessPointCode).toBe('FORBIDDEN_ROLE')

    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    expect(run.output()).toContain('shutting down')
    await expect(fetch(`${url}/healthz`)).rejects.toThrow()
  })

  test('a second process on the same data folder is refused with what to do', async () => {
    const port = await freePort()
    const first = start({ PORT: String(port), DATA_DIR: dataDir })
    await waitForReady(`http://127.0.0.1:${port}`, first)
    const second = start({ PORT: String(await freePort()), DATA_DIR: dataDir })
    expect(await second.exit).toBe(1)
    expect(second.output()).toContain('is in use by another process')
    expect(second.output()).not.toMatch(/\n\s+at /)
    first.child.kill('SIGINT')
    expect(await first.exit).toBe(0)
  })
})
