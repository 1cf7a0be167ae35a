import { delay, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { createTcpProxy, type TcpProxy, throughProxy } from '../../test/createTcpProxy.js'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { postgresAdminUrl } from '../../test/postgresAdminUrl.js'
import { devAccount, signInAs } from '../../test/signInAs.js'
import { openAIStreamResponse, priceUpstreamModel } from '../../test/upstreamModel.js'
import { placeHold } from '../billing/placeHold.js'

// A request whose hold fits by the pass's last batch starts its provider call while the hold
// commits. Here the hold statement's reply is held back by a proxy in front of PostgreSQL and the
// upstream (mocked at the wire) takes a while to its first token, so the order of events shows
// what overlaps and what waits.

const firstTokenDelayMs = 150
type UpstreamCall = { arrivedAt: number; aborted: boolean; answered: boolean }
const calls: UpstreamCall[] = []
const upstream = setupServer(
  http.post('https://llm.test/v1/chat/completions', async ({ request }) => {
    const call: UpstreamCall = { arrivedAt: performance.now(), aborted: false, answered: false }
    calls.push(call)
    request.signal.addEventListener('abort', () => {
      call.aborted = true
    })
    await delay(firstTokenDelayMs)
    call.answered = !call.aborted
    return openAIStreamResponse(['Hold ', 'steady.'])
  }),
)

describe('the provider call overlaps the hold (PostgreSQL)', () => {
  let proxy: TcpProxy
  let server: TestServer
  let token: string
  const messages = [{ role: 'user' as const, content: 'Hold or fold?' }]

  beforeAll(async () => {
    upstream.listen({ onUnhandledRequest: 'bypass' })
    const target = new URL(postgresAdminUrl)
    proxy = await createTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    server = await createTestServer(
      'postgres',
      {
        ai: {
          openaiCompatible: [
            {
              name: 'upstream',
              baseUrl: 'https://llm.test/v1',
              apiKey: 'sk-test',
              models: ['up-1'],
            },
          ],
          resilience: {
            retry: { maxAttempts: 0 },
            logger: { warn() {}, error() {}, debug() {} },
          },
        },
      },
      { routeDatabase: (url) => throughProxy(url, proxy) },
    )
    await priceUpstreamModel(server.accessPoint)
    token = (await signInAs(server.client(), devAccount(2))).token
    // The first request reads the pass; its batch leaves the hint the next ones are sized by.
    await server.client(token).ai.complete.mutate({ model: 'up-1', messages, maxTokens: 10 })
  })
  beforeEach(() => {
    calls.length = 0
  })
  afterAll(async () => {
    upstream.close()
    await server?.close()
    await proxy?.close()
  })

  test('the upstream is called before the hold commits; the client sees nothing before it does', async () => {
    const holdAnswered = proxy.delayReplyTo('accesspoint_place_holds', 300)
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ model: 'up-1', messages, max_tokens: 10, stream: true }),
    })
    const headersAt = performance.now()
    const text = await response.text()
    const holdAnsweredAt = await holdAnswered

    expect(response.status).toBe(200)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.arrivedAt).toBeLessThan(holdAnsweredAt)
    expect(headersAt).toBeGreaterThan(holdAnsweredAt)
    expect(text).toContain('"content":"Hold "')
    expect(text).toContain('data: [DONE]')
    const entry = await server.accessPoint.database.prisma.ledgerEntry.findUniqueOrThrow({
      where: { requestId: response.headers.get('x-accesspoint-request-id') ?? '' },
    })
    expect(entry).toMatchObject({ status: 'CHARGED', chargeMicroUsd: 18n })
  })

  test('a hold the database refuses aborts the call it started; the request is decided again', async () => {
    const { database } = server.accessPoint
    const pass = await database.prisma.pass.findFirstOrThrow({
      where: { ownerAddress: devAccount(2).address.toLowerCase() },
    })
    // Another instance's requests now hold all but 1,000 micro-USD: this instance's hint is stale.
    const price = await server.accessPoint.services.prices.get('up-1')
    await placeHold({
      database,
      requestId: 'held-elsewhere',
      walletAddress: pass.ownerAddress as string,
      pass: { id: pass.id, creditMicroUsd: pass.creditMicroUsd },
      model: 'up-1',
      priceId: price.id,
      holdMicroUsd:
        pass.creditMicroUsd - pass.pendingMicroUsd - pass.heldMicroUsd - pass.debtMicroUsd - 1_000n,
      holdTtlMs: 60_000,
    })
    // Held back, so the refusal comes after the upstream has the speculative call.
    const refused = proxy.delayReplyTo('accesspoint_place_holds', 100)

    // 100,000 tokens ($0.20) fit by the hint; the database says 1,000 micro-USD.
    const result = await server
      .client(token)
      .ai.complete.mutate({ model: 'up-1', messages, maxTokens: 100_000 })
    const refusedAt = await refused

    expect(calls).toHaveLength(2)
    expect(calls[0]?.arrivedAt).toBeLessThan(refusedAt)
    expect(calls[0]).toMatchObject({ aborted: true, answered: false })
    expect(calls[1]).toMatchObject({ aborted: false, answered: true })
    // Admitted on the second decision, max_tokens clamped to what is left.
    expect(result.text).toBe('Hold steady.')
    expect(result.costMicroUsd).toBe(18n)
    const aborted = await database.prisma.ledgerEntry.count({
      where: { passId: pass.id, status: 'HELD' },
    })
    // Only the hold placed "elsewhere" is still open.
    expect(aborted).toBe(1)
  })
})
