import { randomUUID } from 'node:crypto'
import { TRPCClientError } from '@trpc/client'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createTcpProxy, type TcpProxy, throughProxy } from '../../test/createTcpProxy.js'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { postgresAdminUrl } from '../../test/postgresAdminUrl.js'
import { devAccount, signInAs } from '../../test/signInAs.js'

// PostgreSQL restarts under load. Other test files share the machine's PostgreSQL, so the restart
// is a proxy between this server and it: every connection dropped, new ones refused, then
// accepted again, which is all a restart looks like from the server's side.

type Phase = 'before' | 'down' | 'after'
type Via = 'trpc' | 'rest' | 'rest-stream'
type Answer = { requestId: string; costMicroUsd: bigint; idempotencyKey?: string | undefined }
type Outcome = {
  via: Via
  wallet: number
  /** When the request was sent, and when its answer (or refusal) arrived. */
  sent: Phase
  received?: Phase
  status: number
  code?: string | undefined
  /** A response the client received whole: the answer and what it was charged. */
  complete?: Answer | undefined
}

const wallets = [1, 2, 3] as const
const vias: readonly Via[] = ['trpc', 'rest', 'rest-stream']
const messages = [{ role: 'user' as const, content: 'Quote the spread on ETH/USDC.' }]
// Requests in flight at most; a new one starts every `paceMs` while there is room. Requests
// waiting for their charge during the outage hold slots, the rest keep arriving.
const maxInFlight = 24
const paceMs = 15

/** The `data:` payloads of a server-sent event stream. */
function eventsOf(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length))
}

describe('PostgreSQL restarted under load', () => {
  let proxy: TcpProxy
  let server: TestServer
  const sessions = new Map<number, string>()
  const apiKeys = new Map<number, string>()

  beforeAll(async () => {
    const target = new URL(postgresAdminUrl)
    proxy = await createTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    server = await createTestServer(
      'postgres',
      {
        // Tokens take time, so requests are mid-generation when the connections are cut (a
        // reply is 40 tokens or more: the long stream below runs for a second or so).
        ai: { dev: { tokenDelayMs: 20 } },
        // Sessions and keys are read from the database again during the outage: the
        // authentication path must fail closed too, not only billing.
        authCacheTtlMs: 300,
      },
      { routeDatabase: (url) => throughProxy(url, proxy) },
    )
    for (const index of wallets) {
      const { token } = await signInAs(server.client(), devAccount(index))
      sessions.set(index, token)
      const { secret } = await server.client(token).keys.create.mutate({ name: `bot ${index}` })
      apiKeys.set(index, secret)
    }
  })
  afterAll(async () => {
    proxy?.up()
    await server?.close()
    await proxy?.close()
  })

  let phase: Phase = 'before'
  const outcomes: Outcome[] = []

  async function viaTrpc(wallet: number, idempotencyKey: string | undefined) {
    try {
      const result = await server
        .client(sessions.get(wallet))
        .ai.complete.mutate({ model: 'dev-mini', messages, maxTokens: 6, idempotencyKey })
      expect(result.text.length).toBeGreaterThan(0)
      return {
        status: 200,
        complete: {
          requestId: result.requestId,
          costMicroUsd: result.costMicroUsd,
          idempotencyKey,
        },
      }
    } catch (error) {
      if (!(error instanceof TRPCClientError)) throw error
      const data = error.data as { httpStatus?: number; accessPointCode?: string } | undefined
      return { status: data?.httpStatus ?? -1, code: data?.accessPointCode }
    }
  }

  async function viaRest(wallet: number, stream: boolean, maxTokens = 6) {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiKeys.get(wallet)}`,
      },
      body: JSON.stringify({
        model: 'dev-mini',
        messages,
        max_tokens: maxTokens,
        ...(stream && { stream: true, stream_options: { include_usage: true } }),
      }),
    })
    const requestId = response.headers.get('x-accesspoint-request-id') ?? ''
    if (response.status !== 200) {
      const body = (await response.json()) as { error?: { code?: string } }
      return { status: response.status, code: body.error?.code }
    }
    if (!stream) {
      const body = (await response.json()) as { choices: { message: { content: string } }[] }
      expect(body.choices[0]?.message.content.length).toBeGreaterThan(0)
      const cost = response.headers.get('x-accesspoint-cost-micro-usd')
      return { status: 200, complete: { requestId, costMicroUsd: BigInt(cost ?? '-1') } }
    }
    return { status: 200, ...readStream(requestId, await response.text()) }
  }

  // Complete: its usage chunk (with the charge) and [DONE] arrived. An error is an event.
  function readStream(requestId: string, text: string) {
    const events = eventsOf(text)
    const chunks = events
      .filter((data) => data !== '[DONE]')
      .map(
        (data) =>
          JSON.parse(data) as {
            error?: { code?: string }
            accesspoint?: { cost_micro_usd: string }
          },
      )
    const failure = chunks.find((chunk) => chunk.error)
    if (failure) return { code: failure.error?.code }
    const usage = chunks.find((chunk) => chunk.accesspoint)
    expect(events.at(-1)).toBe('[DONE]')
    if (!usage) throw new Error(`a stream without its usage chunk: ${text}`)
    return {
      complete: { requestId, costMicroUsd: BigInt(usage.accesspoint?.cost_micro_usd ?? '-1') },
    }
  }

  async function send(n: number): Promise<Outcome> {
    const wallet = wallets[n % wallets.length] as number
    const via = vias[Math.floor(n / wallets.length) % vias.length] as Via
    const sent = phase
    // Every other tRPC request carries an Idempotency-Key, so retries can be checked afterwards.
    const idempotencyKey = n % 2 === 0 ? `pg-outage-${randomUUID()}` : undefined
    const result = await (via === 'trpc'
      ? viaTrpc(wallet, idempotencyKey)
      : viaRest(wallet, via === 'rest-stream')
    ).catch((error: unknown) => ({ status: -1, code: `client: ${String(error)}` }))
    return { via, wallet, sent, received: phase, ...result }
  }

  /** A steady stream of requests from every wallet through every path, until `stop()`. */
  function startLoad() {
    const inFlight = new Set<Promise<void>>()
    let stopped = false
    const running = (async () => {
      for (let n = 0; !stopped; n++) {
        if (inFlight.size < maxInFlight) {
          const request: Promise<void> = send(n).then((outcome) => {
            outcomes.push(outcome)
            inFlight.delete(request)
          })
          inFlight.add(request)
        }
        await new Promise((resolve) => setTimeout(resolve, paceMs))
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

  const answered = (sent: Phase, via: Via) =>
    outcomes.filter((outcome) => outcome.sent === sent && outcome.via === via && outcome.complete)
  const refused = (sent: Phase, via: Via) =>
    outcomes.filter((outcome) => outcome.sent === sent && outcome.via === via && !outcome.complete)

  const readiness = async () => {
    const response = await fetch(`${server.url}/readyz`)
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  test('fails closed while it is down, recovers without a restart, and loses no charge', {
    timeout: 120_000,
  }, async () => {
    const load = startLoad()
    let straddling: Promise<Outcome> | undefined
    try {
      await vi.waitFor(
        () => {
          for (const via of vias) expect(answered('before', via).length).toBeGreaterThan(3)
        },
        { timeout: 30_000, interval: 20 },
      )

      // A long stream is mid-generation when the database goes: its charge cannot be written
      // until it is back, so its last event must wait for that, and then arrive.
      const started = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${apiKeys.get(1)}`,
        },
        body: JSON.stringify({
          model: 'dev-mini',
          messages: [{ role: 'user', content: 'Explain the order book, at length.' }],
          max_tokens: 400,
          stream: true,
          stream_options: { include_usage: true },
        }),
      })
      expect(started.status).toBe(200)
      const reader = started.body?.getReader()
      if (!reader) throw new Error('a stream has a body')
      const decoder = new TextDecoder()
      let text = decoder.decode((await reader.read()).value, { stream: true })
      const requestId = started.headers.get('x-accesspoint-request-id') ?? ''

      phase = 'down'
      proxy.down()
      straddling = (async (): Promise<Outcome> => {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          text += decoder.decode(value, { stream: true })
        }
        return { via: 'rest-stream', wallet: 1, sent: 'before', received: phase, status: 200 }
      })().then((outcome) => ({ ...outcome, ...readStream(requestId, text) }))

      await vi.waitFor(
        async () => {
          expect(await readiness()).toMatchObject({
            status: 503,
            body: { status: 'unavailable', error: { code: 'SERVICE_UNAVAILABLE' } },
          })
          for (const via of vias) expect(refused('down', via).length).toBeGreaterThan(3)
          // Answers generated meanwhile wait for their charge to be written.
          expect(server.accessPoint.services.ledger.stats().failedAttempts).toBeGreaterThan(0)
        },
        { timeout: 30_000, interval: 50 },
      )

      phase = 'after'
      proxy.up()
      // The same server, no restart: ready again, and every path is served again.
      await vi.waitFor(async () => expect((await readiness()).status).toBe(200), {
        timeout: 30_000,
        interval: 100,
      })
      await vi.waitFor(
        () => {
          for (const via of vias) expect(answered('after', via).length).toBeGreaterThan(3)
        },
        { timeout: 30_000, interval: 50 },
      )
    } finally {
      await load.stop()
    }
    const longStream = await straddling
    outcomes.push(longStream)
    expect(longStream).toMatchObject({
      received: 'after',
      complete: { requestId: expect.any(String) },
    })

    // Every refusal says why, with a stable code and a status that fits: never a bare 500.
    const failures = outcomes.filter((outcome) => !outcome.complete)
    for (const failure of failures)
      expect(failure, JSON.stringify(failure)).toMatchObject({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
      })

    // Every complete answer has exactly one charge, of what the client was told; nothing else
    // was charged, and once refused requests' holds are released, none is left open.
    const { prisma } = server.accessPoint.database
    const complete = outcomes.flatMap((outcome) => (outcome.complete ? [outcome.complete] : []))
    expect(new Set(complete.map((answer) => answer.requestId)).size).toBe(complete.length)
    await vi.waitFor(
      async () => expect(await prisma.ledgerEntry.count({ where: { status: 'HELD' } })).toBe(0),
      { timeout: 15_000, interval: 100 },
    )
    const entries = await prisma.ledgerEntry.findMany()
    const charged = new Map(
      entries
        .filter((entry) => entry.status === 'CHARGED')
        .map((entry) => [entry.requestId, entry.chargeMicroUsd]),
    )
    expect(
      new Map(complete.map((answer) => [answer.requestId, answer.costMicroUsd])),
    ).toStrictEqual(charged)
    for (const pass of await prisma.pass.findMany({ include: { ledgerEntries: true } })) {
      const sum = pass.ledgerEntries.reduce(
        (total, entry) => total + (entry.status === 'CHARGED' ? (entry.chargeMicroUsd ?? 0n) : 0n),
        0n,
      )
      expect({ held: pass.heldMicroUsd, pending: pass.pendingMicroUsd }).toStrictEqual({
        held: 0n,
        pending: sum,
      })
    }

    // A retry of an answered request gets the same answer and is not charged again.
    const retried = outcomes.filter((outcome) => outcome.complete?.idempotencyKey).slice(-6)
    expect(retried.length).toBeGreaterThan(0)
    for (const { wallet, complete: answer } of retried) {
      const again = await server.client(sessions.get(wallet)).ai.complete.mutate({
        model: 'dev-mini',
        messages,
        maxTokens: 6,
        idempotencyKey: answer?.idempotencyKey,
      })
      expect(again).toMatchObject({
        requestId: answer?.requestId,
        costMicroUsd: answer?.costMicroUsd,
      })
    }
    expect(await prisma.ledgerEntry.count()).toBe(entries.length)
  })
})
