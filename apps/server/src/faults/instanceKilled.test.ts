import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createConnection, createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { devAccounts } from '@accesspoint/contracts'
import {
  type StartDevChainReturnType as DevChain,
  startDevChain,
} from '@accesspoint/contracts/devChain'
import { createSiweMessage } from '@accesspoint/core/siwe'
import { createDatabase, type Database } from '@accesspoint/server'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createPostgresDatabase } from '../../test/createPostgresDatabase.js'

// Two instances of the real server process share PostgreSQL, Redis and a chain; one is killed
// with SIGKILL under load (no shutdown hook runs), the other keeps serving, and the killed one
// comes back. What a client was answered in full is charged exactly once; what the kill cut off
// is charged at most once; the holds the dead process left open are released once they expire.

const main = fileURLToPath(new URL('../main.ts', import.meta.url))
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
// Short, so a dead instance's holds expire within the test; still far above any request here.
const holdTtlMs = 8_000

type Instance = {
  name: string
  url: string
  child: ChildProcess
  output(): string
  exited: Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function startInstance(name: string, env: NodeJS.ProcessEnv): Promise<Instance> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@accesspoint/source', main],
    {
      env: { PATH: process.env.PATH, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const instance = { name, url: `http://127.0.0.1:${port}`, child, output: () => output, exited }
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited at start-up:\n${output}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${name} never got ready:\n${output}`)
    }
    const ready = await fetch(`${instance.url}/readyz`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return instance
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** One Redis command over RESP (the app's Redis client is not a dependency of this package). */
function redis(...args: string[]): Promise<string> {
  const { hostname, port } = new URL(redisUrl)
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) })
    socket.setTimeout(5_000, () => socket.destroy(new Error('Redis did not answer')))
    socket.once('error', (error) =>
      reject(
        new Error(
          `Redis is not reachable at ${hostname}:${port} (${String(error)}). Start it (.ci/run does) or set TEST_REDIS_URL.`,
        ),
      ),
    )
    socket.write(
      `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`,
    )
    socket.once('data', (data) => {
      socket.end()
      const reply = data.toString()
      if (reply.startsWith('-')) reject(new Error(`Redis: ${reply.trim()}`))
      else resolve(reply.trim())
    })
  })
}

type Json = Record<string, unknown>

async function trpc(url: string, path: string, input: unknown, token?: string) {
  const response = await fetch(`${url}/trpc/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ json: input }),
  })
  const body = (await response.json()) as { result?: { data: { json: Json } } }
  if (!body.result) throw new Error(`${path} failed: ${JSON.stringify(body)}`)
  return body.result.data.json
}

async function signIn(url: string, index: number): Promise<string> {
  const account = privateKeyToAccount(devAccounts[index]?.privateKey ?? '0x')
  const nonce = (await trpc(url, 'auth.nonce', null)) as {
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
  const signedIn = await trpc(url, 'auth.signIn', {
    message,
    signature: await account.signMessage({ message }),
  })
  return signedIn.token as string
}

type Outcome = {
  target: string
  stream: boolean
  sentAt: number
  status: number
  requestId?: string | undefined
  /** Answered in full: the text (or every chunk up to usage and [DONE]) and its charge. */
  complete?: { requestId: string; costMicroUsd: bigint } | undefined
  /** The connection ended before the answer did. */
  cut?: string | undefined
}

const wallets = [1, 2, 3] as const

describe('an instance killed with SIGKILL under load', { timeout: 180_000 }, () => {
  let chain: DevChain
  let database: Database
  let dropDatabase: () => Promise<void>
  let env: NodeJS.ProcessEnv
  let keyPrefix: string
  const instances: Instance[] = []
  const credentials: string[] = []

  beforeAll(async () => {
    keyPrefix = `aptest:${process.pid}:${randomBytes(4).toString('hex')}:`
    expect(await redis('PING')).toBe('+PONG')
    chain = await startDevChain({ port: 0 })
    const postgres = await createPostgresDatabase('ap_killed')
    dropDatabase = postgres.drop
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: postgres.url,
      MIGRATE_ON_START: 'true',
      SEED_ON_START: 'true',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      RPC_URL: chain.rpcUrl,
      ACCESS_PASS_ADDRESS: chain.contracts.accessPass,
      CHAIN_IDS: String(chain.chainId),
      SETTLEMENT_INTERVAL: 'off',
      DEV_TOKEN_DELAY_MS: '10',
      HOLD_TTL: `${holdTtlMs}ms`,
      // Every request comes from 127.0.0.1 and three wallets; limits have tests of their own.
      RATE_LIMIT_PER_IP: '1000000/60',
      RATE_LIMIT_PER_WALLET: '1000000/60',
      RATE_LIMIT_PER_API_KEY: '1000000/60',
    }
    database = await createDatabase({ kind: 'postgres', url: postgres.url, pool: { max: 2 } })
  })
  afterAll(async () => {
    for (const instance of instances) {
      if (instance.child.exitCode === null && instance.child.signalCode === null)
        instance.child.kill('SIGTERM')
      await instance.exited
    }
    await database?.close()
    await dropDatabase?.()
    await chain?.stop()
    if (keyPrefix)
      await redis(
        'EVAL',
        "local keys = redis.call('KEYS', ARGV[1]) for _, key in ipairs(keys) do redis.call('DEL', key) end return #keys",
        '0',
        `${keyPrefix}*`,
      )
  })

  const outcomes: Outcome[] = []
  // Streams whose headers arrived (hold placed, generation running) and whose end has not.
  const openStreams = new Map<string, number>()

  async function send(target: Instance, n: number): Promise<Outcome> {
    const stream = Math.floor(n / 2) % 2 === 1
    // Sessions and API keys alike: one of each per wallet.
    const credential = credentials[n % credentials.length]
    const sentAt = Date.now()
    const base = { target: target.name, stream, sentAt }
    let response: Response
    try {
      response = await fetch(`${target.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
        body: JSON.stringify({
          model: 'dev-mini',
          messages: [{ role: 'user', content: `Order ${n}: quote ETH/USDC.` }],
          max_tokens: 40,
          ...(stream && { stream: true, stream_options: { include_usage: true } }),
        }),
      })
    } catch (error) {
      return { ...base, status: -1, cut: String(error) }
    }
    const requestId = response.headers.get('x-accesspoint-request-id') ?? undefined
    const result = { ...base, status: response.status, requestId }
    if (response.status !== 200) return { ...result, cut: await response.text() }
    if (!stream) {
      try {
        const body = (await response.json()) as { choices: { message: { content: string } }[] }
        expect(body.choices[0]?.message.content.length).toBeGreaterThan(0)
      } catch (error) {
        return { ...result, cut: String(error) }
      }
      const cost = BigInt(response.headers.get('x-accesspoint-cost-micro-usd') ?? '-1')
      return { ...result, complete: { requestId: requestId ?? '', costMicroUsd: cost } }
    }
    openStreams.set(target.name, (openStreams.get(target.name) ?? 0) + 1)
    let text = ''
    try {
      text = await response.text()
    } catch (error) {
      return { ...result, cut: String(error) }
    } finally {
      openStreams.set(target.name, (openStreams.get(target.name) ?? 1) - 1)
    }
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('data: '))
      .map((block) => block.slice('data: '.length))
    const usage = events
      .filter((data) => data !== '[DONE]')
      .map((data) => JSON.parse(data) as { accesspoint?: { cost_micro_usd: string } })
      .find((chunk) => chunk.accesspoint)
    if (!usage || events.at(-1) !== '[DONE]')
      return { ...result, cut: `incomplete stream: ${text}` }
    return {
      ...result,
      complete: {
        requestId: requestId ?? '',
        costMicroUsd: BigInt(usage.accesspoint?.cost_micro_usd ?? '-1'),
      },
    }
  }

  /** Requests at a steady pace to every live instance in turn, until `stop()`. */
  function startLoad(live: () => Instance[]) {
    const inFlight = new Set<Promise<void>>()
    let stopped = false
    const running = (async () => {
      for (let n = 0; !stopped; n++) {
        const targets = live()
        const target = targets[n % targets.length]
        if (target && inFlight.size < 16) {
          const request: Promise<void> = send(target, n).then((outcome) => {
            outcomes.push(outcome)
            inFlight.delete(request)
          })
          inFlight.add(request)
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      await Promise.all(inFlight)
    })()
    return {
      stop() {
        stopped = true
        return running
      },
    }
  }

  const answered = (target: string, stream: boolean, after = 0) =>
    outcomes.filter(
      (outcome) =>
        outcome.target === target &&
        outcome.stream === stream &&
        outcome.complete &&
        outcome.sentAt >= after,
    ).length

  const recoveredHolds = async (instance: Instance) => {
    const metrics = await (await fetch(`${instance.url}/metrics`)).text()
    return Number(/^accesspoint_holds_recovered_total (\d+)$/m.exec(metrics)?.[1] ?? Number.NaN)
  }

  test('the survivor serves throughout, nothing is charged twice, no hold stays open', async () => {
    const a = await startInstance('A', env)
    instances.push(a)
    let b = await startInstance('B', env)
    instances.push(b)
    for (const index of wallets) {
      const token = await signIn(a.url, index)
      const { secret } = await trpc(a.url, 'keys.create', { name: `bot ${index}` }, token)
      credentials.push(token, secret as string)
    }

    let live = [a, b]
    const load = startLoad(() => live)
    let killedAt = 0
    try {
      await vi.waitFor(
        () => {
          for (const target of ['A', 'B'])
            for (const stream of [false, true])
              expect(answered(target, stream)).toBeGreaterThanOrEqual(3)
        },
        { timeout: 60_000, interval: 50 },
      )
      // Killed while it streams several answers: their holds are placed, their charges not.
      await vi.waitFor(() => expect(openStreams.get('B')).toBeGreaterThanOrEqual(3), {
        timeout: 30_000,
        interval: 5,
      })
      live = [a]
      killedAt = Date.now()
      b.child.kill('SIGKILL')
      await b.exited
      expect(b.child.signalCode).toBe('SIGKILL')

      await vi.waitFor(
        () => {
          for (const stream of [false, true])
            expect(answered('A', stream, killedAt)).toBeGreaterThanOrEqual(4)
        },
        { timeout: 30_000, interval: 50 },
      )

      // The dead process's holds: open until they expire (no one can tell them from live ones).
      const orphaned = await database.prisma.ledgerEntry.findMany({
        where: { status: 'HELD', createdAt: { lte: new Date(killedAt) } },
      })
      expect(orphaned.length).toBeGreaterThan(0)
      await vi.waitFor(
        () => {
          for (const hold of orphaned) expect(hold.holdExpiresAt.getTime()).toBeLessThan(Date.now())
        },
        { timeout: holdTtlMs + 10_000, interval: 100 },
      )

      b = await startInstance('B2', env)
      instances.push(b)
      // Start-up recovery (or the survivor's periodic sweep) released every one of them.
      expect(
        await database.prisma.ledgerEntry.count({
          where: { requestId: { in: orphaned.map((hold) => hold.requestId) }, status: 'HELD' },
        }),
      ).toBe(0)
      expect((await recoveredHolds(a)) + (await recoveredHolds(b))).toBeGreaterThanOrEqual(
        orphaned.length,
      )

      live = [a, b]
      await vi.waitFor(
        () => {
          for (const stream of [false, true])
            expect(answered('B2', stream)).toBeGreaterThanOrEqual(3)
        },
        { timeout: 30_000, interval: 50 },
      )
    } finally {
      await load.stop()
    }

    // The survivor and the restarted instance answered every request in full; only requests in
    // flight on the killed one were cut.
    for (const outcome of outcomes.filter((outcome) => outcome.target !== 'B'))
      expect(
        outcome,
        `${JSON.stringify(outcome, (_key, value) => (typeof value === 'bigint' ? String(value) : value))}\n${a.output()}`,
      ).toMatchObject({
        status: 200,
        complete: expect.anything(),
      })
    const cut = outcomes.filter((outcome) => outcome.cut)
    expect(cut.length).toBeGreaterThan(0)
    for (const outcome of cut) expect(outcome).toMatchObject({ target: 'B' })
    for (const outcome of outcomes.filter((outcome) => outcome.target === 'B' && !outcome.cut))
      expect(outcome.sentAt).toBeLessThanOrEqual(killedAt)

    // Every answer received in full has exactly one charge, of the cost the client was told.
    const complete = outcomes.flatMap((outcome) => (outcome.complete ? [outcome.complete] : []))
    expect(new Set(complete.map((answer) => answer.requestId)).size).toBe(complete.length)
    const entries = await database.prisma.ledgerEntry.findMany()
    const byRequest = new Map(entries.map((entry) => [entry.requestId, entry]))
    for (const answer of complete)
      expect(byRequest.get(answer.requestId)).toMatchObject({
        status: 'CHARGED',
        chargeMicroUsd: answer.costMicroUsd,
      })
    // A cut request was charged at most once (it may have been: the kill can fall between the
    // commit and the last byte); nothing else was charged, and no hold is open.
    const answeredIds = new Set(complete.map((answer) => answer.requestId))
    const chargedUnanswered = entries.filter(
      (entry) => entry.status === 'CHARGED' && !answeredIds.has(entry.requestId),
    )
    expect(chargedUnanswered.length).toBeLessThanOrEqual(cut.length)
    const cutIds = new Set(cut.flatMap((outcome) => outcome.requestId ?? []))
    for (const entry of chargedUnanswered)
      if (entry.stream) expect(cutIds.has(entry.requestId)).toBe(true)
    expect(entries.filter((entry) => entry.status === 'HELD')).toEqual([])
    for (const pass of await database.prisma.pass.findMany({ include: { ledgerEntries: true } })) {
      const charged = pass.ledgerEntries.reduce(
        (sum, entry) => sum + (entry.status === 'CHARGED' ? (entry.chargeMicroUsd ?? 0n) : 0n),
        0n,
      )
      expect({ held: pass.heldMicroUsd, pending: pass.pendingMicroUsd }).toStrictEqual({
        held: 0n,
        pending: charged,
      })
    }
  })
})
