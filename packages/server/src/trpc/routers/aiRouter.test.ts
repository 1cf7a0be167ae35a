import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../../test/createTestServer.js'
import { expectError } from '../../../test/expectError.js'
import { devAccount, signInAs } from '../../../test/signInAs.js'
import { databaseKinds } from '../../../test/testDatabase.js'

const messages = [{ role: 'user' as const, content: 'Say something about markets.' }]

type StreamEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; requestId: string; costMicroUsd: bigint; usage: { outputTokens: number } }

/** Reads an `ai.stream` subscription until it ends (or `stopAfter` deltas), keeping event ids. */
function readStream(
  server: TestServer,
  token: string,
  input: Record<string, unknown>,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<{ events: { id: string; data: StreamEvent }[]; error?: unknown }> {
  return new Promise((resolve) => {
    const events: { id: string; data: StreamEvent }[] = []
    let deltas = 0
    const subscription = server
      .client(token)
      // @ts-expect-error: the test passes loose input on purpose in some cases
      .ai.stream.subscribe(input, {
        onData(envelope: { id: string; data: StreamEvent }) {
          events.push(envelope)
          if (envelope.data.type === 'delta' && ++deltas >= stopAfter) {
            subscription.unsubscribe()
            resolve({ events })
          }
        },
        onComplete: () => resolve({ events }),
        onError: (error: unknown) => resolve({ events, error }),
        // An error before the first event arrives as a failed connection the link would retry.
        onConnectionStateChange(state: { state: string; error: unknown }) {
          if (state.state === 'connecting' && state.error) {
            resolve({ events, error: state.error })
            subscription.unsubscribe()
          }
        },
      })
  })
}

describe.each(databaseKinds)('the metered AI API on the %s database', (kind) => {
  let server: TestServer
  let token: string
  beforeAll(async () => {
    server = await createTestServer(kind)
    token = (await signInAs(server.client(), devAccount(1))).token
  })
  afterAll(() => server?.close())

  const available = async () => {
    const [pass] = await server.client(token).billing.balance.query()
    if (!pass) throw new Error('account 1 has a pass')
    return pass
  }

  test('ai.models lists the dev models with their prices when no provider key is set', async () => {
    const models = await server.client(token).ai.models.query()
    expect(models.map((model) => model.id)).toEqual(expect.arrayContaining(['dev-mini', 'dev-pro']))
    expect(models.find((model) => model.id === 'dev-mini')).toMatchObject({
      dev: true,
      price: { inputMicroUsdPerMillionTokens: 100_000n, outputMicroUsdPerMillionTokens: 400_000n },
    })
  })

  test('ai.complete answers, and the balance goes down by exactly the charged amount', async () => {
    const before = await available()
    const result = await server
      .client(token)
      .ai.complete.mutate({ model: 'dev-pro', messages, maxTokens: 64 })
    expect(result.text.length).toBeGreaterThan(0)
    expect(result.usage.outputTokens).toBeGreaterThan(0)
    expect(result.costMicroUsd).toBeGreaterThan(0n)
    const after = await available()
    expect(after.heldMicroUsd).toBe(0n)
    expect(before.availableMicroUsd - after.availableMicroUsd).toBe(result.costMicroUsd)
    const usage = await server.client(token).billing.usage.query({ limit: 5 })
    expect(usage.items[0]).toMatchObject({
      requestId: result.requestId,
      status: 'CHARGED',
      chargeMicroUsd: result.costMicroUsd,
    })
  })

  test('ai.stream streams deltas, then a final event with usage and cost', async () => {
    const { events, error } = await readStream(server, token, { model: 'dev-mini', messages })
    expect(error).toBeUndefined()
    const done = events.at(-1)?.data
    expect(done?.type).toBe('done')
    const text = events.flatMap(({ data }) => (data.type === 'delta' ? [data.text] : [])).join('')
    expect(text.length).toBeGreaterThan(0)
    expect(events.map(({ id }) => id)).toEqual(
      events.map((_event, seq) => `${done?.type === 'done' ? done.requestId : ''}:${seq}`),
    )
  })

  test('a client that leaves mid-stream is billed for what was generated; resuming does not re-bill', async () => {
    const partial = await readStream(
      server,
      token,
      { model: 'dev-mini', messages, maxTokens: 40 },
      2,
    )
    const lastId = partial.events.at(-1)?.id ?? ''
    const requestId = lastId.slice(0, lastId.lastIndexOf(':'))
    // Reconnect with lastEventId: the same generation continues from the next event.
    const resumed = await readStream(server, token, {
      model: 'dev-mini',
      messages,
      maxTokens: 40,
      lastEventId: lastId,
    })
    expect(resumed.events[0]?.id).toBe(`${requestId}:${partial.events.length}`)
    const done = resumed.events.at(-1)?.data
    if (done?.type !== 'done') throw new Error('the resumed stream should end with done')
    expect(done.requestId).toBe(requestId)
    const rows = await server.accessPoint.database.prisma.ledgerEntry.findMany({
      where: { requestId },
    })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'CHARGED', chargeMicroUsd: done.costMicroUsd })
    expect(rows[0]?.outputTokens).toBe(done.usage.outputTokens)
  })

  test('ai.start takes a prompt too long for a URL by POST; ai.stream({ requestId }) reads it', async () => {
    // 40 KB of conversation: as an SSE GET's URL it would be refused (HTTP 431).
    const long = [{ role: 'user' as const, content: 'order book '.repeat(4_000) }]
    const input = {
      model: 'dev-mini',
      messages: long,
      maxTokens: 16,
      idempotencyKey: `long-${kind}`,
    }
    const started = await server.client(token).ai.start.mutate(input)
    expect(started.result).toBeUndefined()
    const { events, error } = await readStream(server, token, { requestId: started.requestId })
    expect(error).toBeUndefined()
    expect(events[0]?.id).toBe(`${started.requestId}:0`)
    const done = events.at(-1)?.data
    if (done?.type !== 'done') throw new Error('the stream should end with done')
    expect(done.requestId).toBe(started.requestId)
    expect(done.usage.outputTokens).toBeGreaterThan(0)

    // The same key again is the same request: its stored answer, not a second charge.
    const again = await server.client(token).ai.start.mutate(input)
    expect(again).toMatchObject({
      requestId: started.requestId,
      result: { costMicroUsd: done.costMicroUsd },
    })
    expect(
      await server.accessPoint.database.prisma.ledgerEntry.count({
        where: { requestId: started.requestId },
      }),
    ).toBe(1)
  })

  test.each([
    ['an unknown request id', { requestId: 'req_nope' }],
    ['a malformed lastEventId', { model: 'dev-mini', messages, lastEventId: 'no-sequence' }],
  ])('ai.stream with %s is NOT_FOUND, and nothing is started', async (_name, input) => {
    const ledger = server.accessPoint.database.prisma.ledgerEntry
    const before = await ledger.count()
    const { events, error } = await readStream(server, token, input)
    expect(events).toEqual([])
    expect(error).toMatchObject({ data: { accessPointCode: 'NOT_FOUND' } })
    // Errors inside a stream read like the others: one sentence, no docs/version lines.
    expect((error as Error).message).toBe(
      'That generation cannot be resumed here any more. Send the request again.',
    )
    expect(await ledger.count()).toBe(before)
  })

  test('a repeated Idempotency-Key returns the first result and charges once', async () => {
    const input = { model: 'dev-mini', messages, maxTokens: 20, idempotencyKey: `key-${kind}` }
    const [first, second] = await Promise.all([
      server.client(token).ai.complete.mutate(input),
      server.client(token).ai.complete.mutate(input),
    ])
    const third = await server.client(token).ai.complete.mutate(input)
    expect(second).toEqual(first)
    expect(third).toEqual(first)
    const rows = await server.accessPoint.database.prisma.ledgerEntry.findMany({
      where: { requestId: first.requestId },
    })
    expect(rows).toHaveLength(1)
    await expectError(
      server.client(token).ai.complete.mutate({ ...input, maxTokens: 21 }),
      'CONFLICT',
      409,
    )
  })

  test('a stream repeated with its Idempotency-Key replays the stored answer, charged once', async () => {
    const input = { model: 'dev-mini', messages, maxTokens: 12, idempotencyKey: `stream-${kind}` }
    const first = await readStream(server, token, input)
    const second = await readStream(server, token, input)
    const textOf = (events: typeof first.events) =>
      events.flatMap(({ data }) => (data.type === 'delta' ? [data.text] : [])).join('')
    expect(textOf(second.events)).toBe(textOf(first.events))
    const done = first.events.at(-1)?.data
    const again = second.events.at(-1)?.data
    if (done?.type !== 'done' || again?.type !== 'done')
      throw new Error('both streams end with done')
    expect(again).toMatchObject({ requestId: done.requestId, costMicroUsd: done.costMicroUsd })
    expect(
      await server.accessPoint.database.prisma.ledgerEntry.count({
        where: { requestId: done.requestId },
      }),
    ).toBe(1)
  })

  test.each([
    ['an unknown model', { model: 'gpt-17', messages }, 'MODEL_NOT_FOUND', 404],
    ['no messages', { model: 'dev-mini', messages: [] }, 'INVALID_INPUT', 400],
    [
      'a bad role',
      { model: 'dev-mini', messages: [{ role: 'robot', content: 'x' }] },
      'INVALID_INPUT',
      400,
    ],
    ['a negative max_tokens', { model: 'dev-mini', messages, maxTokens: -1 }, 'INVALID_INPUT', 400],
    [
      'a prompt too large for the per-request cap',
      {
        model: 'dev-pro',
        messages: [
          { role: 'user', content: 'x'.repeat(199_000) },
          { role: 'user', content: 'y'.repeat(199_000) },
          { role: 'user', content: 'z'.repeat(199_000) },
        ],
      },
      'COST_CAP_EXCEEDED',
      422,
    ],
  ] as const)('%s is a clear 4xx', async (_name, input, code, status) => {
    // @ts-expect-error: deliberately wrong input
    await expectError(server.client(token).ai.complete.mutate(input), code, status)
  })

  test('billing.usage pages through the wallet’s requests; admin.usage sees any wallet', async () => {
    const first = await server.client(token).billing.usage.query({ limit: 2 })
    expect(first.items).toHaveLength(2)
    expect(first.nextCursor).not.toBeNull()
    const second = await server
      .client(token)
      .billing.usage.query({ limit: 2, cursor: first.nextCursor ?? undefined })
    expect(second.items[0]?.requestId).not.toBe(first.items[1]?.requestId)
    expect(first.totals.chargedMicroUsd).toBeGreaterThan(0n)

    await expectError(
      server.client(token).admin.usage.query({ address: devAccount(1).address }),
      'FORBIDDEN_ROLE',
      403,
    )
    const admin = (await signInAs(server.client(), devAccount(0))).token
    const seen = await server.client(admin).admin.usage.query({ address: devAccount(1).address })
    expect(seen.totals).toEqual(first.totals)
  })

  test('a suspended pass (settlement shortfall) is refused with PAYMENT_FAILED and the amount', async () => {
    const poor = (await signInAs(server.client(), devAccount(2))).token
    const { prisma } = server.accessPoint.database
    await server.client(poor).billing.balance.query() // creates the pass row
    const owner = devAccount(2).address.toLowerCase()
    await prisma.pass.updateMany({
      where: { ownerAddress: owner },
      data: { debtMicroUsd: 6_250_000n, suspendedAt: new Date() },
    })
    const error = await expectError(
      server.client(poor).ai.complete.mutate({ model: 'dev-mini', messages }),
      'PAYMENT_FAILED',
      402,
    )
    expect(error.message).toContain('$1.25')
    await prisma.pass.updateMany({
      where: { ownerAddress: owner },
      data: { debtMicroUsd: 0n, suspendedAt: null },
    })
  })

  test('no credentials is a 401', async () => {
    await expectError(
      server.client().ai.complete.mutate({ model: 'dev-mini', messages }),
      'UNAUTHENTICATED',
      401,
    )
  })

  test('account 3 ($0.01) is refused with INSUFFICIENT_BALANCE once its balance cannot cover a request', async () => {
    const poor = (await signInAs(server.client(), devAccount(3))).token
    const error = await expectError(
      server.client(poor).ai.complete.mutate({
        model: 'dev-pro',
        messages: [{ role: 'user', content: 'x'.repeat(20_000) }],
      }),
      'INSUFFICIENT_BALANCE',
      402,
    )
    expect(error.message).toMatch(/\$/)
  })
})
