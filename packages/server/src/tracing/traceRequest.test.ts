import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { registerInMemoryTracing } from '../../test/registerInMemoryTracing.js'
import { devAccount, signInAs } from '../../test/signInAs.js'
import { priceUpstreamModel } from '../../test/upstreamModel.js'

// The SDK as an application registers it, before the server exists: every span in memory.
const tracing = registerInMemoryTracing()

// Words that must never reach a span: the prompt, the caller's credentials, the provider's key.
const prompt = 'Summarise the zebra manifesto, page 4417'
const upstreamKey = 'sk-upstream-never-traced'

const steps = [
  'accesspoint.auth',
  'accesspoint.capture',
  'accesspoint.hold',
  'accesspoint.provider',
  'accesspoint.roles',
]

let server: TestServer
let upstream: Server
let session: string
let readOnlyKey: string
let requests = 0

/** Waits for the request span of `X-Request-Id: requestId`, then returns its whole trace. */
async function traceOf(requestId: string) {
  const request = await vi.waitFor(
    () => {
      const found = tracing.exporter
        .getFinishedSpans()
        .find((span) => span.attributes['accesspoint.request_id'] === requestId)
      if (!found) throw new Error(`no request span for ${requestId} yet`)
      return found
    },
    { timeout: 10_000, interval: 20 },
  )
  const spans = tracing.spansOf(request.spanContext().traceId)
  const children = spans.filter(
    (span) => span.parentSpanContext?.spanId === request.spanContext().spanId,
  )
  const step = (name: string) => {
    const found = children.find((span) => span.name === name)
    if (!found) throw new Error(`no ${name} span under ${request.name}`)
    return found
  }
  return { request, spans, children, names: children.map((span) => span.name).sort(), step }
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const requestId = `trace-test-${++requests}`
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${session}`,
      'x-request-id': requestId,
      ...headers,
    },
    body: JSON.stringify(body),
  })
  return { response, text: await response.text(), requestId }
}

const nanoseconds = ([seconds, nanos]: readonly [number, number]) =>
  BigInt(seconds) * 1_000_000_000n + BigInt(nanos)

/** `later` is not before `earlier`: the SDK anchors each span to `Date.now()`, so within 1 ms. */
function expectNotBefore(later: ReadableSpan['startTime'], earlier: ReadableSpan['endTime']) {
  expect(nanoseconds(later)).toBeGreaterThanOrEqual(nanoseconds(earlier) - 1_000_000n)
}

/** Nothing a user sent or a secret the server holds, anywhere in these spans. */
function expectNothingSecret(spans: readonly ReadableSpan[], secrets: readonly string[]) {
  const recorded = JSON.stringify(
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events,
      status: span.status,
    })),
  )
  for (const secret of secrets) expect(recorded).not.toContain(secret)
  expect(recorded).not.toContain('zebra')
}

beforeAll(async () => {
  // An OpenAI-compatible upstream that fails every call with a 500.
  upstream = createServer((_request, response) => {
    response.writeHead(500, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ error: { message: 'upstream broke' } }))
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const { port } = upstream.address() as AddressInfo
  server = await createTestServer('embedded', {
    ai: {
      dev: { tokenDelayMs: 0 },
      openaiCompatible: [
        {
          name: 'upstream',
          baseUrl: `http://127.0.0.1:${port}/v1`,
          apiKey: upstreamKey,
          models: ['up-1'],
        },
      ],
      resilience: { retry: { maxAttempts: 0 }, logger: { warn() {}, error() {}, debug() {} } },
    },
  })
  await priceUpstreamModel(server.accessPoint)
  session = (await signInAs(server.client(), devAccount(1))).token
  readOnlyKey = (
    await server.client(session).keys.create.mutate({ name: 'read only', scopes: ['read'] })
  ).secret
})

afterAll(async () => {
  await server?.close()
  await new Promise((resolve) => upstream?.close(resolve))
  await tracing.close()
})

describe('tracing a metered request', () => {
  test('POST /v1/chat/completions: the request span and its five steps, in order, without the prompt', async () => {
    const { response, text, requestId } = await post('/v1/chat/completions', {
      model: 'dev-mini',
      messages: [{ role: 'user', content: prompt }],
      max_tokens: 8,
    })
    expect(response.status).toBe(200)
    const ledgerId = response.headers.get('x-accesspoint-request-id')
    const cost = response.headers.get('x-accesspoint-cost-micro-usd')
    const answer = (JSON.parse(text) as { choices: { message: { content: string } }[] }).choices[0]
      ?.message.content
    expect(answer).toBeTruthy()

    const { request, spans, names, step } = await traceOf(requestId)
    expect(request).toMatchObject({
      name: 'POST /v1/chat/completions',
      kind: SpanKind.SERVER,
      parentSpanContext: undefined,
      status: { code: SpanStatusCode.UNSET },
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/v1/chat/completions',
        'http.response.status_code': 200,
        'accesspoint.request_id': requestId,
      },
      instrumentationScope: { name: '@accesspoint/server' },
    })
    expect(names).toEqual(steps)
    // Nothing else in the trace: every step hangs directly off the request.
    expect(spans).toHaveLength(6)

    expect(step('accesspoint.auth').attributes).toEqual({
      'accesspoint.auth.method': 'session',
      'accesspoint.wallet': devAccount(1).address.toLowerCase(),
    })
    expect(step('accesspoint.roles').attributes).toEqual({
      'accesspoint.roles': ['holder'],
      'accesspoint.passes': 1,
    })
    expect(step('accesspoint.hold').attributes).toEqual({
      'accesspoint.ledger.request_id': ledgerId,
      'accesspoint.pass.id': expect.any(String),
      'accesspoint.pass.token_id': '1',
      'accesspoint.hold.micro_usd': expect.stringMatching(/^[1-9]\d*$/),
    })
    const provider = step('accesspoint.provider')
    expect(provider).toMatchObject({
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.provider.name': 'dev',
        'gen_ai.request.model': 'dev-mini',
        'accesspoint.stream': false,
        'gen_ai.usage.output_tokens': 8,
        'gen_ai.response.finish_reasons': ['length'],
      },
    })
    expect(provider.events.map((event) => event.name)).toEqual(['accesspoint.first_token'])
    expect(step('accesspoint.capture').attributes).toEqual({
      'accesspoint.ledger.request_id': ledgerId,
      'accesspoint.charge.micro_usd': cost,
    })
    for (const span of spans) expect(span.status.code).not.toBe(SpanStatusCode.ERROR)

    // auth, then roles, then the hold; the provider call starts during the hold (it runs while
    // the hold commits); the charge is committed after the provider's last event and before the
    // response ends.
    const order = ['accesspoint.auth', 'accesspoint.roles', 'accesspoint.hold']
    for (let index = 1; index < order.length; index++)
      expectNotBefore(
        step(order[index] as string).startTime,
        step(order[index - 1] as string).endTime,
      )
    expectNotBefore(provider.startTime, step('accesspoint.hold').startTime)
    expectNotBefore(step('accesspoint.hold').endTime, provider.startTime)
    expectNotBefore(step('accesspoint.capture').startTime, provider.endTime)
    expectNotBefore(request.endTime, step('accesspoint.capture').endTime)

    expectNothingSecret(spans, [prompt, session, upstreamKey, answer as string])
  })

  test('trpc ai.complete: the same steps under a span named by the procedure', async () => {
    const { response, requestId } = await post('/trpc/ai.complete', {
      json: { model: 'dev-mini', messages: [{ role: 'user', content: prompt }], maxTokens: 4 },
    })
    expect(response.status).toBe(200)
    const { request, spans, names } = await traceOf(requestId)
    expect(request).toMatchObject({
      name: 'trpc ai.complete',
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/trpc/ai.complete',
        'http.response.status_code': 200,
      },
    })
    expect(names).toEqual(steps)
    expectNothingSecret(spans, [prompt, session])
  })

  test("an incoming traceparent continues the caller's trace, through a stream to its end", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const callerSpanId = '00f067aa0ba902b7'
    const { response, text, requestId } = await post(
      '/v1/chat/completions',
      {
        model: 'dev-mini',
        messages: [{ role: 'user', content: prompt }],
        max_tokens: 6,
        stream: true,
      },
      { traceparent: `00-${traceId}-${callerSpanId}-01` },
    )
    expect(response.status).toBe(200)
    expect(text).toContain('data: [DONE]')

    const { request, spans, names, step } = await traceOf(requestId)
    expect(request.spanContext().traceId).toBe(traceId)
    expect(request.parentSpanContext).toMatchObject({ spanId: callerSpanId, isRemote: true })
    expect(names).toEqual(steps)
    expect(spans.every((span) => span.spanContext().traceId === traceId)).toBe(true)
    expect(step('accesspoint.provider').attributes['accesspoint.stream']).toBe(true)
    // A stream's request span lasts until the stream ends.
    expectNotBefore(request.endTime, step('accesspoint.provider').endTime)
  })

  test('a caller that does not sample its trace gets no spans, and is served as usual', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c'
    const unsampled = await post(
      '/v1/chat/completions',
      { model: 'dev-mini', messages: [{ role: 'user', content: prompt }], max_tokens: 2 },
      { traceparent: `00-${traceId}-b7ad6b7169203331-00` },
    )
    expect(unsampled.response.status).toBe(200)
    // A later traced request's span has arrived, so the unsampled one has closed too.
    const later = await post('/v1/chat/completions', {
      model: 'dev-mini',
      messages: [{ role: 'user', content: prompt }],
      max_tokens: 2,
    })
    await traceOf(later.requestId)
    expect(tracing.spansOf(traceId)).toEqual([])
  })
})

describe('tracing refusals and failures', () => {
  test('an unknown model: the hold step fails with MODEL_NOT_FOUND; a 4xx is not a server error', async () => {
    const { response, requestId } = await post('/v1/chat/completions', {
      model: 'no-such-model',
      messages: [{ role: 'user', content: prompt }],
    })
    expect(response.status).toBe(404)
    const { request, names, step } = await traceOf(requestId)
    expect(request).toMatchObject({
      status: { code: SpanStatusCode.UNSET },
      attributes: { 'http.response.status_code': 404, 'error.type': '404' },
    })
    expect(names).toEqual(['accesspoint.auth', 'accesspoint.hold', 'accesspoint.roles'])
    expect(step('accesspoint.hold')).toMatchObject({
      status: { code: SpanStatusCode.ERROR },
      attributes: { 'error.type': 'MODEL_NOT_FOUND' },
    })
  })

  test('a key without the ai scope: the roles step fails with FORBIDDEN_ROLE, nothing is held', async () => {
    const { response, requestId } = await post(
      '/v1/chat/completions',
      { model: 'dev-mini', messages: [{ role: 'user', content: prompt }] },
      { authorization: `Bearer ${readOnlyKey}` },
    )
    expect(response.status).toBe(403)
    const { request, spans, names, step } = await traceOf(requestId)
    expect(request.attributes).toMatchObject({ 'http.response.status_code': 403 })
    expect(names).toEqual(['accesspoint.auth', 'accesspoint.roles'])
    expect(step('accesspoint.auth').attributes).toMatchObject({
      'accesspoint.auth.method': 'api_key',
      'accesspoint.api_key.id': expect.any(String),
      'accesspoint.pass.token_id': '1',
    })
    expect(step('accesspoint.roles')).toMatchObject({
      status: { code: SpanStatusCode.ERROR, message: 'This API key lacks the "ai" scope.' },
      attributes: { 'error.type': 'FORBIDDEN_ROLE' },
    })
    expectNothingSecret(spans, [readOnlyKey])
  })

  test('no credentials: the auth step fails with UNAUTHENTICATED', async () => {
    const { response, requestId } = await post(
      '/v1/chat/completions',
      { model: 'dev-mini', messages: [{ role: 'user', content: prompt }] },
      { authorization: '' },
    )
    expect(response.status).toBe(401)
    const { names, step } = await traceOf(requestId)
    expect(names).toEqual(['accesspoint.auth'])
    expect(step('accesspoint.auth')).toMatchObject({
      status: { code: SpanStatusCode.ERROR },
      attributes: { 'error.type': 'UNAUTHENTICATED' },
    })
  })

  test('a failing provider: 5xx, the request and provider spans are errors, the hold is released', async () => {
    const { response, requestId } = await post('/v1/chat/completions', {
      model: 'up-1',
      messages: [{ role: 'user', content: prompt }],
      max_tokens: 8,
    })
    expect(response.status).toBeGreaterThanOrEqual(500)
    const { request, spans, names, step } = await traceOf(requestId)
    expect(request).toMatchObject({
      status: { code: SpanStatusCode.ERROR },
      attributes: {
        'http.response.status_code': response.status,
        'error.type': String(response.status),
      },
    })
    expect(names).toEqual([
      'accesspoint.auth',
      'accesspoint.hold',
      'accesspoint.provider',
      'accesspoint.release',
      'accesspoint.roles',
    ])
    expect(step('accesspoint.provider')).toMatchObject({
      status: { code: SpanStatusCode.ERROR },
      attributes: {
        'gen_ai.provider.name': 'upstream',
        'error.type': expect.stringMatching(/^PROVIDER_(ERROR|UNAVAILABLE)$/),
      },
    })
    expect(step('accesspoint.release').status.code).toBe(SpanStatusCode.UNSET)
    expectNothingSecret(spans, [prompt, session, upstreamKey, 'upstream broke'])
  })
})
