import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../../test/createTestServer.js'
import { devAccount, signInAs } from '../../../test/signInAs.js'
import { databaseKinds } from '../../../test/testDatabase.js'

describe.each(databaseKinds)('the OpenAI-compatible API with the official client (%s)', (kind) => {
  let server: TestServer
  let session: string
  let openai: OpenAI
  beforeAll(async () => {
    server = await createTestServer(kind)
    session = (await signInAs(server.client(), devAccount(1))).token
    const { secret } = await server.client(session).keys.create.mutate({ name: 'openai sdk' })
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: secret, maxRetries: 0 })
  })
  afterAll(() => server?.close())

  const available = async () =>
    (await server.client(session).billing.balance.query())[0]?.availableMicroUsd ?? 0n

  test('models.list shows the dev models', async () => {
    const models = await openai.models.list()
    expect(models.data.map((model) => model.id)).toEqual(
      expect.arrayContaining(['dev-mini', 'dev-pro']),
    )
  })

  test('a completion is billed exactly what its usage costs', async () => {
    const before = await available()
    const { data, response } = await openai.chat.completions
      .create({ model: 'dev-mini', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 30 })
      .withResponse()
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0)
    expect(data.usage?.completion_tokens).toBeGreaterThan(0)
    const cost = BigInt(response.headers.get('x-accesspoint-cost-micro-usd') ?? '-1')
    expect(cost).toBeGreaterThan(0n)
    expect(before - (await available())).toBe(cost)
  })

  test('streaming works unchanged, with usage in the last chunk', async () => {
    const stream = await openai.chat.completions.create({
      model: 'dev-mini',
      messages: [{ role: 'user', content: 'Stream please' }],
      max_tokens: 30,
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    let usage: OpenAI.CompletionUsage | null | undefined
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      if (chunk.usage) usage = chunk.usage
    }
    expect(text.length).toBeGreaterThan(0)
    expect(usage?.completion_tokens).toBeGreaterThan(0)
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0))
  })

  test('an Idempotency-Key retry returns the first answer and is charged once', async () => {
    const body = {
      model: 'dev-mini',
      messages: [{ role: 'user' as const, content: 'Once' }],
      max_tokens: 10,
    }
    const options = { headers: { 'Idempotency-Key': `rest-${kind}` } }
    const first = await openai.chat.completions.create(body, options)
    const second = await openai.chat.completions.create(body, options)
    expect(second.id).toBe(first.id)
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content)
    const requestId = first.id.replace(/^chatcmpl-/, '')
    expect(
      await server.accessPoint.database.prisma.ledgerEntry.count({ where: { requestId } }),
    ).toBe(1)
  })

  test('errors keep OpenAI’s shape with our stable code', async () => {
    const unknown = await openai.chat.completions
      .create({ model: 'gpt-17', messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error)
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError)
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('MODEL_NOT_FOUND')

    const badKey = new OpenAI({
      baseURL: `${server.url}/v1`,
      apiKey: 'ap_live_nope',
      maxRetries: 0,
    })
    const denied = await badKey.models.list().catch((error: unknown) => error)
    expect(denied).toBeInstanceOf(OpenAI.AuthenticationError)
    expect((denied as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('INVALID_API_KEY')
  })

  test.each([
    ['malformed JSON', '{"model": ', 'INVALID_INPUT', 400],
    ['no messages', JSON.stringify({ model: 'dev-mini', messages: [] }), 'INVALID_INPUT', 400],
    ['a wrong type', JSON.stringify({ model: 'dev-mini', messages: 'hi' }), 'INVALID_INPUT', 400],
  ])('%s is a 400 in OpenAI’s shape, never a 500', async (_name, body, code, status) => {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` },
      body,
    })
    expect(response.status).toBe(status)
    expect(await response.json()).toMatchObject({
      error: { code, type: 'invalid_request_error', message: expect.any(String) },
    })
  })

  test('no credentials is a 401', async () => {
    const response = await fetch(`${server.url}/v1/models`)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } })
  })
})
