import { afterAll, expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createDropProxy } from '../../test/createDropProxy.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { ModelNotFoundError } from '../errors/server.js'
import { EventSource } from '../exports/node.js'
import { memoryStorage } from '../storage/memoryStorage.js'
import type { StreamEvent } from './stream.js'
import { stream } from './stream.js'

const url = inject('serverUrl')
const account = countingAccount(accounts.shared)
const client = createAccessPointClient({ url, account })
const messages = [{ role: 'user' as const, content: 'Tell me about streams.' }]

const proxy = await createDropProxy(url)
afterAll(() => proxy.close())

test('deltas in order, then done with usage and cost; result has the whole text', async () => {
  const answer = stream(client, { model: 'dev-mini', messages, maxTokens: 8 })
  const events: StreamEvent[] = []
  for await (const event of answer) events.push(event)
  const deltas = events.filter((event) => event.type === 'delta')
  const done = events.at(-1)
  expect(deltas).toHaveLength(8)
  expect(done).toMatchObject({
    type: 'done',
    model: 'dev-mini',
    finishReason: 'length',
    usage: { outputTokens: 8 },
  })
  const result = await answer.result
  expect(result.text).toBe(deltas.map((event) => event.text).join(''))
  expect(result.costMicroUsd).toBe(done?.type === 'done' ? done.costMicroUsd : -1n)
  // The same prompt gives the same text from the dev provider, streamed or not.
  expect((await client.complete({ model: 'dev-mini', messages, maxTokens: 8 })).text).toBe(
    result.text,
  )
})

test('result alone, without iterating; an explicit EventSource works too', async () => {
  const explicit = createAccessPointClient({ url, account, EventSource })
  const result = await explicit.stream({ model: 'dev-mini', messages, maxTokens: 3 }).result
  expect(result.usage.outputTokens).toBe(3)
})

test('an abort signal stops the stream at once, with the AbortError', async () => {
  const controller = new AbortController()
  const answer = client.stream({
    model: 'dev-mini',
    messages,
    maxTokens: 100,
    signal: controller.signal,
  })
  let deltas = 0
  let abortedAt = 0
  const error = await (async () => {
    for await (const event of answer) {
      if (event.type === 'delta' && ++deltas === 2) {
        abortedAt = Date.now()
        controller.abort()
      }
    }
  })().catch((error: unknown) => error)
  expect(error).toMatchObject({ name: 'AbortError' })
  expect(Date.now() - abortedAt).toBeLessThan(200)
  await expect(answer.result).rejects.toMatchObject({ name: 'AbortError' })
})

test('leaving the loop early closes the stream', async () => {
  const answer = client.stream({ model: 'dev-mini', messages, maxTokens: 100 })
  for await (const event of answer) if (event.type === 'delta') break
  await expect(answer.result).rejects.toMatchObject({ name: 'AbortError' })
  expect(() => answer[Symbol.asyncIterator]()).toThrow(/once/)
})

test('a dropped connection is resumed mid-generation: same answer, charged once', async () => {
  const viaProxy = createAccessPointClient({ url: proxy.url, account })
  const answer = viaProxy.stream({ model: 'dev-mini', messages, maxTokens: 60 })
  const connectionsBefore = proxy.connections()
  const events: StreamEvent[] = []
  let dropped = false
  for await (const event of answer) {
    events.push(event)
    if (!dropped && event.type === 'delta') {
      dropped = true
      proxy.drop()
    }
  }
  const result = await answer.result
  // A new connection carried the rest, asking to resume after the last event it had.
  expect(proxy.connections()).toBeGreaterThan(connectionsBefore)
  const resumedFrom = proxy
    .requests()
    .map((head) => new RegExp(`"lastEventId":"${result.requestId}:(\\d+)"`).exec(head)?.[1])
    .find((seq) => seq !== undefined)
  // Mid-generation: from an early event, not after the last one.
  expect(Number(resumedFrom)).toBeLessThan(50)
  const deltas = events.filter((event) => event.type === 'delta')
  expect(deltas).toHaveLength(60)
  expect(result.usage.outputTokens).toBe(60)

  // Not re-run: the text is the one uninterrupted generation gives; not re-billed: one row.
  const reference = await client.complete({ model: 'dev-mini', messages, maxTokens: 60 })
  expect(result.text).toBe(reference.text)
  const { items } = await client.usage({ limit: 50 })
  const rows = items.filter((row) => row.requestId === result.requestId)
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({
    status: 'CHARGED',
    chargeMicroUsd: result.costMicroUsd,
    stream: true,
  })
})

test('a conversation too long for a URL (40 KB) is started by POST and still streams', async () => {
  const long = [{ role: 'user' as const, content: 'order book '.repeat(4_000) }]
  const idempotencyKey = crypto.randomUUID()
  const answer = stream(client, {
    model: 'dev-mini',
    messages: long,
    maxTokens: 12,
    idempotencyKey,
  })
  const events: StreamEvent[] = []
  for await (const event of answer) events.push(event)
  expect(events.filter((event) => event.type === 'delta')).toHaveLength(12)
  const result = await answer.result
  expect(result.usage.inputTokens).toBeGreaterThan(8_000)

  // Sent again with its key: the stored answer, in one piece, charged once.
  const again = await stream(client, {
    model: 'dev-mini',
    messages: long,
    maxTokens: 12,
    idempotencyKey,
  }).result
  expect(again).toMatchObject({ requestId: result.requestId, text: result.text })
  const { items } = await client.usage({ limit: 20 })
  expect(items.filter((row) => row.requestId === result.requestId)).toHaveLength(1)
})

test('a session ended on the server is renewed once, and the stream goes on', async () => {
  const storage = memoryStorage()
  const signer = countingAccount(accounts.shared)
  const streaming = createAccessPointClient({ url, account: signer, storage })
  await streaming.signIn()
  await createAccessPointClient({
    url,
    account: countingAccount(accounts.shared),
    storage,
  }).signOut()
  const result = await streaming.stream({ model: 'dev-mini', messages, maxTokens: 3 }).result
  expect(result.usage.outputTokens).toBe(3)
  expect(signer.signatures()).toBe(2)
})

test('server errors are typed, in the loop and in result', async () => {
  const answer = client.stream({ model: 'gpt-imaginary', messages })
  const error = await (async () => {
    for await (const _ of answer) {
      // no events expected
    }
  })().catch((error: unknown) => error)
  expect(error).toBeInstanceOf(ModelNotFoundError)
  await expect(answer.result).rejects.toBeInstanceOf(ModelNotFoundError)
})

test("streamAuth 'connectionParams' puts the token in the URL; today's server reads only the header", async () => {
  const signer = countingAccount(accounts.shared)
  const viaParams = createAccessPointClient({
    url: proxy.url,
    account: signer,
    streamAuth: 'connectionParams',
    retry: false,
  })
  const error = await viaParams
    .stream({ model: 'dev-mini', messages, maxTokens: 2 })
    .result.catch((error: unknown) => error)
  const head = proxy.requests().find((request) => request.includes('connectionParams='))
  expect(head).toMatch(/connectionParams=\{"authorization":"Bearer ap_sess_[^"]+"\}/)
  expect(head).not.toMatch(/^authorization:/im)
  // Flip this when the server reads connection params (see the package README): browsers'
  // native EventSource cannot send the header, so this is their only way to authenticate.
  expect(error).toMatchObject({ code: 'UNAUTHENTICATED' })
})
