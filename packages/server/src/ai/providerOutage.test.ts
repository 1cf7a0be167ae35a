import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { expectError } from '../../test/expectError.js'
import { devAccount, signInAs } from '../../test/signInAs.js'
import { openAIStreamResponse, priceUpstreamModel } from '../../test/upstreamModel.js'

// An OpenAI-compatible upstream, mocked at the wire: it fails with 500s or streams an answer.
let upstreamDown = true
let upstreamCalls = 0
const upstream = setupServer(
  http.post('https://llm.test/v1/chat/completions', () => {
    upstreamCalls++
    if (upstreamDown) return new HttpResponse('upstream broke', { status: 500 })
    return openAIStreamResponse(['Back ', 'online.'])
  }),
)

describe('a provider outage', () => {
  let server: TestServer
  let token: string
  const request = {
    model: 'up-1',
    messages: [{ role: 'user' as const, content: 'status?' }],
    maxTokens: 10,
  }

  beforeAll(async () => {
    upstream.listen({ onUnhandledRequest: 'bypass' })
    server = await createTestServer('embedded', {
      ai: {
        dev: { tokenDelayMs: 0 },
        openaiCompatible: [
          { name: 'upstream', baseUrl: 'https://llm.test/v1', apiKey: 'sk-test', models: ['up-1'] },
        ],
        resilience: {
          retry: { maxAttempts: 0 },
          breaker: { consecutiveFailures: 3, halfOpenAfterMs: 1_000 },
          logger: { warn() {}, error() {}, debug() {} },
        },
      },
    })
    await priceUpstreamModel(server.accessPoint)
    token = (await signInAs(server.client(), devAccount(2))).token
  })
  afterAll(async () => {
    upstream.close()
    await server?.close()
  })

  test('failures release their holds, the breaker opens and answers at once, then recovers', async () => {
    const client = server.client(token)
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await client.ai.complete.mutate(request).catch((caught: unknown) => caught)
      const code = (error as { data?: { accessPointCode?: string } }).data?.accessPointCode
      expect(['PROVIDER_ERROR', 'PROVIDER_UNAVAILABLE']).toContain(code)
    }
    expect(upstreamCalls).toBe(3)
    const metrics = async () =>
      (await server.accessPoint.app.inject({ method: 'GET', url: '/metrics' })).body
    // 2 = open; the dev provider has no breaker, so no series.
    expect(await metrics()).toMatch(
      /^accesspoint_provider_breaker_state\{provider="upstream"\} 2$/m,
    )
    expect(await metrics()).not.toMatch(/provider_breaker_state\{provider="dev"\}/)
    expect(await metrics()).toMatch(
      /^accesspoint_provider_errors_total\{provider="upstream",code="PROVIDER_\w+"\} \d+$/m,
    )
    // Nothing was generated, so nothing was charged and no hold is left open.
    const ledger = await server.accessPoint.database.prisma.ledgerEntry.findMany({
      where: { model: 'up-1' },
    })
    expect(ledger.map((entry) => entry.status)).toEqual(['RELEASED', 'RELEASED', 'RELEASED'])
    const [pass] = await client.billing.balance.query()
    expect(pass?.heldMicroUsd).toBe(0n)

    // Open: refused at once, with Retry-After, and the upstream is left alone.
    await expectError(client.ai.complete.mutate(request), 'PROVIDER_UNAVAILABLE', 503)
    const rest = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ model: 'up-1', messages: request.messages }),
    })
    expect(rest.status).toBe(503)
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await rest.json()).toMatchObject({ error: { code: 'PROVIDER_UNAVAILABLE' } })
    expect(upstreamCalls).toBe(3)

    // The provider comes back; after the half-open delay a probe closes the circuit.
    upstreamDown = false
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const result = await client.ai.complete.mutate(request)
    expect(result.text).toBe('Back online.')
    expect(result.usage).toEqual({ inputTokens: 12, cachedInputTokens: 0, outputTokens: 3 })
    expect(result.costMicroUsd).toBe(18n)
    expect(await metrics()).toMatch(
      /^accesspoint_provider_breaker_state\{provider="upstream"\} 0$/m,
    )
  })
})
