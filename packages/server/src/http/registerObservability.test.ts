import { Writable } from 'node:stream'
import superjson from 'superjson'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { expectError } from '../../test/expectError.js'
import { devAccount, signInAs } from '../../test/signInAs.js'
import { databaseKinds } from '../../test/testDatabase.js'

/** The value of the first series of `name` whose labels include all of `labels`. */
function series(body: string, name: string, labels: Record<string, string> = {}) {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  const line = body
    .split('\n')
    .find(
      (candidate) =>
        (candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `)) &&
        pairs.every((pair) => candidate.includes(pair)),
    )
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

const secretPrompt = 'Tell me about the PURPLE-ELEPHANT-7731 protocol.'

describe.each(databaseKinds)('observability (%s)', (kind) => {
  let server: TestServer
  let token: string
  const logLines: Record<string, unknown>[] = []

  const metrics = async () => (await fetch(`${server.url}/metrics`)).text()
  const trpcPost = (path: string, input: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(superjson.serialize(input)),
    })

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n'))
          if (line) logLines.push(JSON.parse(line) as Record<string, unknown>)
        done()
      },
    })
    server = await createTestServer(kind, {
      ai: { dev: { tokenDelayMs: 20 } },
      logger: { level: 'info', stream },
    })
    token = (await signInAs(server.client(), devAccount(1))).token
  })
  afterAll(() => server?.close())

  test('a completion: overhead excludes provider time; logs name the wallet, never secrets', async () => {
    const started = performance.now()
    const response = await trpcPost(
      'ai.complete',
      { model: 'dev-mini', messages: [{ role: 'user', content: secretPrompt }], maxTokens: 10 },
      { 'x-request-id': `obs-complete-${kind}` },
    )
    const totalMs = performance.now() - started
    expect(response.status).toBe(200)
    const result = superjson.deserialize<{ usage: { outputTokens: number }; text: string }>(
      ((await response.json()) as { result: { data: never } }).result.data,
    )
    expect(result.usage.outputTokens).toBe(10)
    expect(response.headers.get('x-request-id')).toBe(`obs-complete-${kind}`)
    const overhead = Number(response.headers.get('x-accesspoint-overhead-ms'))
    expect(overhead).toBeGreaterThanOrEqual(0)
    // Ten tokens 20 ms apart spend ~180 ms in the provider, which the overhead leaves out.
    expect(overhead).toBeLessThan(totalMs - 150)

    const lines = logLines.filter((line) => line.reqId === `obs-complete-${kind}`)
    // One line per request, on completion, with the request, the response and its time.
    expect(lines.map((line) => line.msg)).toEqual(['request completed'])
    expect(lines[0]).toMatchObject({
      wallet: devAccount(1).address.toLowerCase(),
      passTokenId: expect.stringMatching(/^\d+$/),
      req: { method: 'POST', url: '/trpc/ai.complete' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    })
    const text = JSON.stringify(lines)
    expect(text).not.toContain(token)
    expect(text).not.toContain('PURPLE-ELEPHANT')
    expect(text).not.toContain(result.text)
  })

  test('streams: headers present, the active gauge rises during a stream and falls after', async () => {
    const client = server.client(token)
    const events: string[] = []
    let duringStream: number | undefined
    await new Promise<void>((resolve, reject) => {
      const subscription = client.ai.stream.subscribe(
        { model: 'dev-mini', messages: [{ role: 'user', content: secretPrompt }], maxTokens: 10 },
        {
          async onData({ data }) {
            events.push(data.type)
            if (events.length === 2)
              duringStream = series(await metrics(), 'accesspoint_sse_streams_active')
            if (data.type === 'done') {
              subscription.unsubscribe()
              resolve()
            }
          },
          onError: reject,
        },
      )
    })
    expect(duringStream).toBe(1)

    // The OpenAI-compatible stream: its headers are written by hand, so check them too.
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        model: 'dev-mini',
        messages: [{ role: 'user', content: secretPrompt }],
        max_tokens: 10,
        stream: true,
      }),
    })
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(response.headers.get('x-request-id')).toBeTruthy()
    expect(Number(response.headers.get('x-accesspoint-overhead-ms'))).toBeGreaterThanOrEqual(0)
    expect(series(await metrics(), 'accesspoint_sse_streams_active')).toBeGreaterThanOrEqual(1)
    expect(await response.text()).toContain('data: [DONE]')

    await expect.poll(async () => series(await metrics(), 'accesspoint_sse_streams_active')).toBe(0)
  })

  test('/metrics shows requests, holds, ledger, provider, cache and process series', async () => {
    // A refused hold: account 3's pass holds $0.01; this prompt alone costs more on dev-pro.
    const poor = (await signInAs(server.client(), devAccount(3))).token
    await expectError(
      server.client(poor).ai.complete.mutate({
        model: 'dev-pro',
        messages: [{ role: 'user', content: 'price '.repeat(30_000) }],
        maxTokens: 10,
      }),
      'INSUFFICIENT_BALANCE',
      402,
    )
    const missing = await fetch(`${server.url}/no/such/route?token=x`)
    expect(missing.status).toBe(404)
    expect(missing.headers.get('x-request-id')).toBeTruthy()
    expect(Number(missing.headers.get('x-accesspoint-overhead-ms'))).toBeGreaterThanOrEqual(0)
    const health = await fetch(`${server.url}/healthz`)
    expect(Number(health.headers.get('x-accesspoint-overhead-ms'))).toBeGreaterThanOrEqual(0)

    const body = await metrics()
    const http = 'accesspoint_http_request_duration_seconds_count'
    expect(
      series(body, http, { route: 'trpc:ai.complete', method: 'POST', status_class: '2xx' }),
    ).toBe(1)
    expect(
      series(body, http, { route: 'trpc:ai.complete', method: 'POST', status_class: '4xx' }),
    ).toBe(1)
    expect(series(body, http, { route: 'trpc:ai.stream', method: 'GET' })).toBe(1)
    expect(series(body, http, { route: '/v1/chat/completions', status_class: '2xx' })).toBe(1)
    expect(series(body, http, { route: 'unmatched', method: 'GET', status_class: '4xx' })).toBe(1)
    expect(series(body, http, { route: '/healthz', status_class: '2xx' })).toBe(1)
    // No URL, id or wallet ever becomes a label.
    expect(body).not.toContain('/no/such/route')
    expect(body).not.toContain(devAccount(1).address.toLowerCase())

    // complete, stream and /v1 stream were admitted; one refusal.
    expect(series(body, 'accesspoint_holds_total', { outcome: 'admitted' })).toBe(3)
    expect(series(body, 'accesspoint_holds_total', { outcome: 'insufficient_balance' })).toBe(1)

    // Each admitted hold went through a committed admission batch.
    const holdBatches = series(body, 'accesspoint_hold_batch_size_count') ?? 0
    expect(holdBatches).toBeGreaterThanOrEqual(1)
    expect(series(body, 'accesspoint_hold_batch_size_sum')).toBeGreaterThanOrEqual(3)
    expect(series(body, 'accesspoint_hold_batch_duration_seconds_count')).toBe(holdBatches)

    const ledgerBatches = series(body, 'accesspoint_ledger_batch_size_count') ?? 0
    expect(ledgerBatches).toBeGreaterThanOrEqual(1)
    expect(series(body, 'accesspoint_ledger_batch_size_sum')).toBe(3)
    expect(series(body, 'accesspoint_ledger_commit_duration_seconds_count')).toBe(ledgerBatches)

    const dev = { provider: 'dev', model: 'dev-mini' }
    expect(
      series(body, 'accesspoint_provider_request_duration_seconds_count', {
        ...dev,
        outcome: 'ok',
      }),
    ).toBe(3)
    expect(series(body, 'accesspoint_provider_time_to_first_token_seconds_count', dev)).toBe(3)
    expect(series(body, 'accesspoint_provider_errors_total')).toBeUndefined()

    expect(
      series(body, 'accesspoint_auth_cache_hits_total', { store: 'session' }),
    ).toBeGreaterThanOrEqual(3)
    expect(series(body, 'accesspoint_auth_cache_misses_total', { store: 'api_key' })).toBe(0)
    expect(series(body, 'accesspoint_access_cache_hits')).toBeGreaterThanOrEqual(1)
    expect(series(body, 'accesspoint_sse_streams_active')).toBe(0)
    expect(series(body, 'accesspoint_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0)
    expect(series(body, 'accesspoint_process_resident_memory_bytes')).toBeGreaterThan(0)

    // The stream's prompt travelled in its URL's query string; the request log keeps the path only.
    const everything = JSON.stringify(logLines)
    expect(everything).toContain('/trpc/ai.stream')
    expect(everything).not.toContain('PURPLE-ELEPHANT')
    expect(everything).not.toContain(token)
    expect(everything).not.toContain(poor)
  })
})
