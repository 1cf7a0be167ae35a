import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import {
  bodyOf,
  breakOne,
  type Caller,
  type CallerName,
  callerArbitrary,
  chatArbitrary,
  chunks,
  contentTypeArbitrary,
  envelopeArbitrary,
  extraHeadersArbitrary,
  inputArbitrary,
  type Long,
  long,
  malformedBodyArbitrary,
  methodArbitrary,
  otherMethods,
  queryTextArbitrary,
  rarely,
  serialize,
  textOf,
  toJson,
  visibleAscii,
} from '../../test/fuzzArbitraries.js'
import {
  type Checked,
  checkResponse,
  type FuzzRequest,
  type FuzzResponse,
  listRoutes,
  send,
  type Tolerated,
} from '../../test/fuzzHttp.js'
import { devAccount, signInAs, signMessageFor } from '../../test/signInAs.js'
import { appRouter } from '../trpc/appRouter.js'

// Fixed, so a failure replays; fast-check prints the seed and the shrunk request when one fails.
// FUZZ_SEED and FUZZ_RUNS (a multiplier) explore further locally.
const seed = Number(process.env.FUZZ_SEED ?? 20_260_422)
const runs = (count: number) => Math.max(1, Math.round(count * Number(process.env.FUZZ_RUNS ?? 1)))
const fuzz = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number, check: (value: T) => Promise<void>) =>
  fc.assert(fc.asyncProperty(arbitrary, check), { seed, numRuns: runs(numRuns) })

// A forced GC makes heap figures comparable; without --expose-gc the flag is set at run time.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

describe('fuzzed requests to every public endpoint', () => {
  let server: TestServer
  const agent = new Agent({ connections: 8, keepAliveTimeout: 10_000 })
  const tokens = {} as Record<Exclude<CallerName, 'none'>, string>
  // A finished generation of account 1, to resume (and replay) with `lastEventId`.
  let knownRequestId = ''
  let baselineRequestIds = new Set<string>()
  const servedRequestIds = new Set<string>()
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  let memoryBefore: NodeJS.MemoryUsage | undefined
  let requestCount = 0
  // What the answers were, printed at the end: a fuzzer that only ever hits one refusal is no fuzzer.
  const outcomes = new Map<string, number>()

  // At run time tRPC keeps every procedure under its dotted path, whatever its static type says.
  const procedures = Object.entries(
    appRouter._def.procedures as unknown as Record<
      string,
      { _def: { type: 'query' | 'mutation' | 'subscription' } }
    >,
  ).map(([path, procedure]) => ({ path, type: procedure._def.type }))
  const procedurePaths = procedures.map((procedure) => procedure.path)

  const authorization = (caller: Caller): string | undefined => {
    if ('raw' in caller) return textOf(caller.raw)
    if ('mangled' in caller) {
      const token = tokens[caller.mangled]
      const at = caller.at % token.length
      const flipped = token[at] === 'a' ? 'b' : 'a'
      return `Bearer ${token.slice(0, at)}${flipped}${token.slice(at + 1)}`
    }
    return caller.name === 'none' ? undefined : `Bearer ${tokens[caller.name]}`
  }

  // The test server has no settlement key: the admin's settlement procedures answer 503
  // SERVICE_UNAVAILABLE by design (SettlementNotConfiguredError), whatever the input.
  const settlementNotConfigured: Tolerated = ({ code, path }) =>
    server.accessPoint.services.settlement === undefined &&
    code === 'SERVICE_UNAVAILABLE' &&
    typeof path === 'string' &&
    /^admin\.(?:run|retry|reconcile)Settlement$/.test(path)

  /** Sends, checks the invariants, and keeps the request ids the answer says were served. */
  async function exchange(sent: FuzzRequest): Promise<Checked & { response: FuzzResponse }> {
    requestCount++
    const response = await send(server.url, sent, { dispatcher: agent })
    const checked = checkResponse(sent, response, {
      secrets: Object.values(tokens),
      tolerated: settlementNotConfigured,
    })
    for (const id of checked.servedRequestIds) servedRequestIds.add(id)
    for (const outcome of [String(response.status), ...checked.codes])
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
    return { ...checked, response }
  }

  async function signIn(index: number, overrides = {}) {
    const client = server.client()
    const { message, signature } = await signMessageFor(client, devAccount(index), overrides)
    return (await client.auth.signIn.mutate({ message, signature })).token
  }

  // A fuzzed call may end one of our sessions (a sign-out has no input to get wrong); sign in
  // again so the authenticated paths stay reachable.
  async function keepSessionsAlive() {
    for (const [name, index] of [
      ['session', 1],
      ['admin', 0],
    ] as const) {
      const alive = await server
        .client(tokens[name])
        .auth.session.query()
        .then(
          () => true,
          () => false,
        )
      if (!alive) tokens[name] = await signIn(index)
    }
  }

  const headersFor = (
    caller: Caller,
    contentType: string | undefined,
    extra: Record<string, string | Long> = {},
  ): Record<string, string> => {
    const headers = Object.fromEntries(
      Object.entries(extra).map(([name, value]) => [name, textOf(value)]),
    )
    const auth = authorization(caller)
    if (auth !== undefined) headers.authorization = auth
    if (contentType !== undefined) headers['content-type'] = contentType
    return headers
  }

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    process.on('uncaughtException', onUnhandled)
    server = await createTestServer('embedded')
    tokens.session = (await signInAs(server.client(), devAccount(1))).token
    tokens.admin = await signIn(0)
    const account1 = server.client(tokens.session)
    tokens.apiKey = (await account1.keys.create.mutate({ name: 'fuzz' })).secret
    const revokedKey = await account1.keys.create.mutate({ name: 'fuzz revoked' })
    await account1.keys.revoke.mutate({ id: revokedKey.key.id })
    tokens.revokedApiKey = revokedKey.secret
    tokens.revokedSession = await signIn(2)
    await server.client(tokens.revokedSession).auth.signOut.mutate()
    const expiresAt = Date.now() + 1_500
    tokens.expiredSession = await signIn(1, { expirationTime: new Date(expiresAt).toISOString() })

    // Warm up every layer once, so the heap baseline is not the cost of first use.
    const warm = await account1.ai.complete.mutate({
      model: 'dev-mini',
      messages: [{ role: 'user', content: 'warm up' }],
      maxTokens: 8,
    })
    knownRequestId = warm.requestId
    baselineRequestIds = new Set(
      (
        await server.accessPoint.database.prisma.ledgerEntry.findMany({
          select: { requestId: true },
        })
      ).map((entry) => entry.requestId),
    )
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 50)))
    gc()
    memoryBefore = process.memoryUsage()
  })

  afterAll(async () => {
    await agent.close()
    await server?.close()
    process.off('unhandledRejection', onUnhandled)
    process.off('uncaughtException', onUnhandled)
  })

  test('the endpoints come from the code: every tRPC procedure and every HTTP route', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(20)
    expect(new Set(procedures.map((procedure) => procedure.type))).toEqual(
      new Set(['query', 'mutation', 'subscription']),
    )
    const routes = listRoutes(server.accessPoint.app).map((route) => route.url)
    expect(routes).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/readyz',
        '/metrics',
        '/.well-known/accesspoint',
        '/v1/models',
        '/v1/chat/completions',
        '/trpc/:path',
      ]),
    )
  })

  test('the stale credentials the fuzzers send are refused, each with its own code', async () => {
    const refusals: Record<string, string[]> = {}
    for (const name of ['revokedSession', 'expiredSession', 'revokedApiKey'] as const)
      for (const path of ['/trpc/access.me', '/v1/models']) {
        const { response, codes } = await exchange({
          method: 'GET',
          path,
          headers: headersFor({ name }, undefined),
        })
        expect(response.status).toBe(401)
        refusals[name] = [...(refusals[name] ?? []), ...codes]
      }
    expect(refusals).toEqual({
      revokedSession: ['SESSION_EXPIRED', 'SESSION_EXPIRED'],
      expiredSession: ['SESSION_EXPIRED', 'SESSION_EXPIRED'],
      revokedApiKey: ['INVALID_API_KEY', 'INVALID_API_KEY'],
    })
  })

  test('tRPC: one procedure, random input, method, content type and caller', async () => {
    const arbitrary = fc.record({
      procedure: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...procedures) },
        fc
          .oneof(
            fc.constantFrom('', 'ai', 'ai.', '.', 'ai.complete.x', '__proto__', 'constructor'),
            fc.string({ unit: visibleAscii, maxLength: 40 }).map(encodeURIComponent),
          )
          .map((path) => ({ path, type: 'query' as const })),
      ),
      caller: callerArbitrary,
      envelope: envelopeArbitrary(inputArbitrary),
      transport: fc.constantFrom('usual', 'usual', 'usual', 'swapped', 'garbage', 'malformed'),
      method: methodArbitrary(['GET', 'POST']),
      contentType: contentTypeArbitrary,
      query: queryTextArbitrary,
      malformed: malformedBodyArbitrary,
    })
    await fuzz(arbitrary, 600, async (value) => {
      const { procedure, transport } = value
      const asQuery =
        (procedure.type !== 'mutation') === (transport !== 'swapped') && transport !== 'malformed'
      const encoded = encodeURIComponent(toJson(value.envelope))
      const sent: FuzzRequest =
        transport === 'garbage'
          ? {
              method: value.method,
              path: `/trpc/${procedure.path}?input=${value.query}`,
              headers: headersFor(value.caller, value.contentType),
              body: value.method === 'HEAD' ? undefined : bodyOf(value.malformed),
            }
          : asQuery
            ? {
                method: 'GET',
                path: `/trpc/${procedure.path}?input=${encoded}`,
                headers: headersFor(value.caller, undefined),
              }
            : {
                method: 'POST',
                path: `/trpc/${procedure.path}`,
                headers: headersFor(value.caller, value.contentType),
                body: transport === 'malformed' ? bodyOf(value.malformed) : toJson(value.envelope),
              }
      const { response } = await exchange(sent)
      if (response.status < 300 && procedure.type === 'mutation') await keepSessionsAlive()
    })
  }, 120_000)

  test('tRPC: batches with garbage ?input= and bodies', async () => {
    const arbitrary = fc.record({
      paths: fc.array(
        fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom(...procedurePaths) },
          fc.constantFrom('', 'nope', 'ai.nope'),
        ),
        { minLength: 1, maxLength: 4 },
      ),
      caller: callerArbitrary,
      inputs: fc.array(envelopeArbitrary(inputArbitrary), { maxLength: 5 }),
      keys: fc.array(fc.oneof(fc.nat({ max: 5 }).map(String), fc.constantFrom('-1', 'x', '')), {
        maxLength: 5,
      }),
      batch: fc.constantFrom('1', '1', 'true', '0', '', 'x'),
      post: fc.boolean(),
      garbage: rarely(queryTextArbitrary),
      malformed: rarely(malformedBodyArbitrary),
      contentType: contentTypeArbitrary,
    })
    await fuzz(arbitrary, 200, async (value) => {
      const input = Object.fromEntries(
        value.inputs.map((envelope, index) => [value.keys[index] ?? String(index), envelope]),
      )
      const path = `/trpc/${value.paths.join(',')}?batch=${value.batch}`
      const text = toJson(input)
      const sent: FuzzRequest = value.post
        ? {
            method: 'POST',
            path,
            headers: headersFor(value.caller, value.contentType),
            body: value.malformed === null ? text : bodyOf(value.malformed),
          }
        : {
            method: 'GET',
            path: `${path}&input=${value.garbage ?? encodeURIComponent(text)}`,
            headers: headersFor(value.caller, undefined),
          }
      const { response } = await exchange(sent)
      if (response.status < 300 && value.post) await keepSessionsAlive()
    })
  }, 120_000)

  test('tRPC SSE: subscriptions with garbage input and lastEventId', async () => {
    const subscriptions = procedures.filter((procedure) => procedure.type === 'subscription')
    expect(subscriptions.length).toBeGreaterThan(0)
    const lastEventIdArbitrary = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.integer({ min: -3, max: 60 }).map((seq) => `${knownRequestId}:${seq}`),
      fc.uuid().map((id) => `${id}:0`),
      fc.constantFrom(
        ':1',
        'x:NaN',
        'x:1e999',
        `${knownRequestId}:9007199254740993`,
        `${knownRequestId}:-0`,
        `${knownRequestId}:`,
        `:${knownRequestId}`,
        'z'.repeat(201),
      ),
    )
    const arbitrary = fc.record({
      procedure: fc.constantFrom(...subscriptions),
      caller: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<Caller>({ name: 'session' }, { name: 'apiKey' }) },
        callerArbitrary,
      ),
      input: fc.oneof(
        { weight: 3, arbitrary: chatArbitrary },
        fc.record(
          {
            requestId: fc.oneof(fc.constant(knownRequestId), fc.uuid(), fc.string()),
            lastEventId: lastEventIdArbitrary,
          },
          { requiredKeys: [] },
        ),
        inputArbitrary,
      ),
      lastEventId: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, lastEventIdArbitrary),
      where: fc.constantFrom('input', 'input', 'header', 'query'),
      garbage: rarely(queryTextArbitrary),
    })
    await fuzz(arbitrary, 200, async (value) => {
      const input =
        value.lastEventId !== null && value.where === 'input' && typeof value.input === 'object'
          ? { ...value.input, lastEventId: value.lastEventId }
          : value.input
      const extra: Record<string, string> = { accept: 'text/event-stream' }
      let query = `input=${value.garbage ?? encodeURIComponent(toJson(serialize(input)))}`
      if (value.lastEventId !== null && value.where === 'header')
        extra['last-event-id'] = value.lastEventId.replace(/[^\x20-\x7e]/g, '')
      if (value.lastEventId !== null && value.where === 'query')
        query += `&lastEventId=${encodeURIComponent(value.lastEventId)}`
      await exchange({
        method: 'GET',
        path: `/trpc/${value.procedure.path}?${query}`,
        headers: headersFor(value.caller, undefined, extra),
      })
    })
  }, 120_000)

  test('/v1: random chat bodies, content types, methods and credentials', async () => {
    const v1Routes = listRoutes(server.accessPoint.app).filter((route) =>
      route.url.startsWith('/v1/'),
    )
    expect(v1Routes.length).toBeGreaterThanOrEqual(2)
    const openAIMessage = fc.record({
      role: fc.constantFrom('user', 'system', 'developer', 'assistant'),
      content: fc.oneof(
        { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
        fc.array(fc.record({ type: fc.constant('text'), text: fc.string({ maxLength: 20 }) }), {
          maxLength: 3,
        }),
      ),
    })
    const chatBody = breakOne(
      fc.record(
        {
          model: fc.constantFrom('dev-mini', 'dev-pro'),
          messages: fc.array(openAIMessage, { minLength: 1, maxLength: 3 }),
          max_tokens: fc.integer({ min: 1, max: 24 }),
          max_completion_tokens: fc.integer({ min: 1, max: 24 }),
          temperature: fc.double({ min: 0, max: 2, noNaN: true }),
          stream: fc.boolean(),
          stream_options: fc.record({ include_usage: fc.boolean() }),
          n: fc.constant(1),
        },
        { requiredKeys: ['model', 'messages', 'max_tokens'] },
      ),
      [
        'model',
        'messages',
        'max_tokens',
        'max_completion_tokens',
        'temperature',
        'stream',
        'stream_options',
        'n',
        'tools',
        '__proto__',
        'constructor',
      ],
    )
    const arbitrary = fc.record({
      route: fc.constantFrom(...v1Routes),
      method: fc.oneof(
        { weight: 8, arbitrary: fc.constant('usual') },
        fc.constantFrom(...otherMethods),
      ),
      caller: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<Caller>({ name: 'apiKey' }, { name: 'session' }) },
        callerArbitrary,
      ),
      body: fc.oneof(
        { weight: 4, arbitrary: chatBody.map((body) => JSON.stringify(body)) },
        // An object literal cannot carry these keys as its own: they go into the text.
        chatBody.map((body) =>
          JSON.stringify(body).replace(
            /^\{/,
            '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},',
          ),
        ),
        fc.jsonValue({ maxDepth: 4 }).map((body) => JSON.stringify(body)),
        malformedBodyArbitrary,
      ),
      contentType: contentTypeArbitrary,
      headers: extraHeadersArbitrary.map(({ 'x-huge': _huge, ...headers }) => headers),
    })
    await fuzz(arbitrary, 400, async (value) => {
      const method = value.method === 'usual' ? (value.route.methods[0] ?? 'GET') : value.method
      await exchange({
        method,
        path: value.route.url,
        headers: headersFor(value.caller, value.contentType, value.headers),
        body: method === 'HEAD' || method === 'GET' ? undefined : bodyOf(value.body),
      })
    })
  }, 120_000)

  test('every route: random methods, query strings, headers (huge ones too) and bodies', async () => {
    const routes = listRoutes(server.accessPoint.app)
    const arbitrary = fc.record({
      route: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...routes) },
        fc
          .oneof(
            fc.constantFrom(
              '/',
              '/trpc',
              '/trpc/',
              '/v1',
              '/v1/',
              '//healthz',
              '/healthz/x',
              '/v1/%E0%A4%A',
              '/%zz',
              '/v1/chat/completions/../models',
            ),
            fc
              .string({ unit: visibleAscii, maxLength: 60 })
              .map((path) => `/${path.replace(/[#?]/g, '')}`),
          )
          .map((url) => ({ url, methods: ['GET'] })),
      ),
      // Route parameters: real procedure names, batches of them, broken percent-escapes, and
      // ones longer than the router accepts.
      param: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...procedurePaths) },
        fc
          .array(fc.constantFrom(...procedurePaths), { minLength: 2, maxLength: 12 })
          .map((paths) => paths.join(',')),
        fc.constantFrom('%', '%zz', '%E0%A4%A', 'ai.%ZZcomplete', '%00', '%2e%2e'),
        fc.string({ unit: visibleAscii, maxLength: 150 }),
        fc.constantFrom(long('', 'a', 101), long('ai.models,', 'ai.models,', 20, 'ai.models')),
      ),
      method: methodArbitrary(['GET', 'POST']),
      query: fc.option(queryTextArbitrary),
      caller: callerArbitrary,
      contentType: contentTypeArbitrary,
      headers: extraHeadersArbitrary,
      body: fc.option(malformedBodyArbitrary),
    })
    await fuzz(arbitrary, 400, async (value) => {
      const path = value.route.url.replace(':path', textOf(value.param).replace(/[#?]/g, ''))
      const sent: FuzzRequest = {
        method: value.method,
        path: value.query === null ? path : `${path}?${value.query}`,
        headers: headersFor(value.caller, value.contentType, value.headers),
        body: value.body === null || value.method === 'HEAD' ? undefined : bodyOf(value.body),
      }
      const { response } = await exchange(sent)
      if (response.status < 300 && value.route.url === '/trpc/:path') await keepSessionsAlive()
    })
  }, 120_000)

  test('payloads: over the body limit is a 413 with a stable code; a huge prompt under it is served or refused', async () => {
    const bodyLimit = server.accessPoint.app.initialConfig.bodyLimit ?? 0
    expect(bodyLimit).toBeGreaterThan(0)
    const json = (caller: Caller) => headersFor(caller, 'application/json')
    // One byte over, sized by Content-Length or streamed chunked with none; and a multipart
    // upload, which tRPC reads itself rather than through Fastify's parser.
    const overLimit = () => [
      { contentType: 'application/json', body: `"${'x'.repeat(bodyLimit - 1)}"` },
      { contentType: 'application/json', body: chunks(bodyLimit + 1) },
      { contentType: 'multipart/form-data; boundary=x', body: chunks(8 * bodyLimit) },
    ]
    for (const caller of [{ name: 'none' }, { name: 'session' }, { name: 'apiKey' }] as const) {
      for (const path of ['/trpc/auth.signIn', '/trpc/ai.complete', '/v1/chat/completions']) {
        for (const { contentType, body } of overLimit()) {
          const { response, codes } = await exchange({
            method: 'POST',
            path,
            headers: headersFor(caller, contentType),
            body,
          })
          // /v1 has no multipart parser: it refuses the type before reading the body. tRPC reads
          // a multipart body only when the procedure asks for its input, after authentication.
          const multipart = contentType.startsWith('multipart')
          const [status, code] =
            multipart && path.startsWith('/v1')
              ? [415, 'INVALID_INPUT']
              : multipart && path === '/trpc/ai.complete' && caller.name === 'none'
                ? [401, 'UNAUTHENTICATED']
                : [413, 'PAYLOAD_TOO_LARGE']
          expect({ path, contentType, status: response.status, codes }).toEqual({
            path,
            contentType,
            status,
            codes: [code],
          })
        }
      }
    }
    // At the limit exactly the body is read (and refused for what it says, not its size).
    const atLimit = await exchange({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: json({ name: 'apiKey' }),
      body: `"${'x'.repeat(bodyLimit - 2)}"`,
    })
    expect({ status: atLimit.response.status, codes: atLimit.codes }).toEqual({
      status: 400,
      codes: ['INVALID_INPUT'],
    })

    // Just under the limit: the longest messages the schema allows.
    const content = 'word '.repeat(40_000)
    const messages = [0, 1, 2, 3].map(() => ({ role: 'user', content }))
    const prompts: FuzzRequest[] = [
      {
        method: 'POST',
        path: '/trpc/ai.complete',
        headers: json({ name: 'session' }),
        body: JSON.stringify({ json: { model: 'dev-mini', messages, maxTokens: 16 } }),
      },
      {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: json({ name: 'apiKey' }),
        body: JSON.stringify({ model: 'dev-pro', messages, max_tokens: 16, stream: true }),
      },
      {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: json({ name: 'apiKey' }),
        body: JSON.stringify({
          model: 'dev-mini',
          messages: [{ role: 'user', content: `${content}!` }],
          max_tokens: 16,
        }),
      },
      {
        method: 'GET',
        path: `/trpc/ai.stream?input=${encodeURIComponent(
          JSON.stringify({
            json: {
              model: 'dev-mini',
              messages: [{ role: 'user', content: 'q'.repeat(12_000) }],
              maxTokens: 8,
            },
          }),
        )}`,
        headers: headersFor({ name: 'session' }, undefined),
      },
      {
        method: 'GET',
        path: `/trpc/ai.stream?input=${'q'.repeat(40_000)}`,
        headers: headersFor({ name: 'session' }, undefined),
      },
    ]
    for (const sent of prompts) {
      expect(Buffer.byteLength(String(sent.body ?? ''))).toBeLessThan(bodyLimit)
      const { response } = await exchange(sent)
      expect(response.status).toBeLessThan(500)
    }
  }, 120_000)

  test('afterwards the server is healthy, charged exactly what it served, and its memory is bounded', async () => {
    const health = await send(server.url, { method: 'GET', path: '/healthz' })
    expect(health).toMatchObject({ status: 200, text: JSON.stringify({ status: 'ok' }) })
    expect((await send(server.url, { method: 'GET', path: '/readyz' })).status).toBe(200)

    await keepSessionsAlive()
    const account1 = server.client(tokens.session)
    expect(await account1.access.me.query()).toMatchObject({
      address: devAccount(1).address.toLowerCase(),
      roles: expect.arrayContaining(['holder']),
    })
    const normal = await account1.ai.complete.mutate({
      model: 'dev-mini',
      messages: [{ role: 'user', content: 'still there?' }],
      maxTokens: 8,
    })
    expect(normal.text.length).toBeGreaterThan(0)
    servedRequestIds.add(normal.requestId)

    // Streams started with `ai.start` and abandoned ones finish in the background; their
    // charges are committed before the entries leave HELD.
    const { ledgerEntry } = server.accessPoint.database.prisma
    const deadline = Date.now() + 20_000
    while ((await ledgerEntry.count({ where: { status: 'HELD' } })) > 0) {
      if (Date.now() > deadline) throw new Error('ledger entries stayed HELD for 20 s')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const entries = await ledgerEntry.findMany({ select: { requestId: true, status: true } })
    const added = entries.filter((entry) => !baselineRequestIds.has(entry.requestId))
    const served = [...servedRequestIds].filter((id) => !baselineRequestIds.has(id))
    // Exactly one charge per served request, and none for anything refused.
    expect(added.map((entry) => entry.requestId).sort()).toEqual(served.sort())
    expect(added.every((entry) => entry.status === 'CHARGED')).toBe(true)
    expect(served.length).toBeGreaterThan(10)

    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(Object.prototype)).toEqual([])
    expect(unhandled).toEqual([])

    gc()
    const after = process.memoryUsage()
    const before = memoryBefore ?? after
    // The JS heap live after a full GC is the leak signal. RSS only bounds the rest loosely: V8
    // keeps the pages the 1 MiB bodies needed, and the embedded database grows with its rows.
    const heapGrowth = after.heapUsed - before.heapUsed
    const rssGrowth = after.rss - before.rss
    const scale = Math.max(1, Number(process.env.FUZZ_RUNS ?? 1))
    console.info(
      `fuzzed ${requestCount} requests (seed ${seed}), ${served.length} served and charged; ` +
        `heap +${(heapGrowth / 2 ** 20).toFixed(1)} MiB, rss +${(rssGrowth / 2 ** 20).toFixed(1)} MiB; ` +
        `statuses and codes: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`,
    )
    expect(heapGrowth).toBeLessThan(48 * 2 ** 20 * scale)
    expect(rssGrowth).toBeLessThan(300 * 2 ** 20 * scale)
  }, 60_000)
})
