import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { InsufficientBalanceError, ModelNotFoundError } from '../errors/server.js'
import { complete } from './complete.js'

const url = inject('serverUrl')
// The only file spending from this pass, so balance changes are exact.
const client = createAccessPointClient({ url, account: countingAccount(accounts.metered) })
const messages = [{ role: 'user' as const, content: 'What is a pass?' }]

async function available() {
  const [pass] = await client.balance()
  if (!pass) throw new Error('no pass')
  return pass.availableMicroUsd
}

test('an answer with its usage and cost; the balance goes down by exactly the cost', async () => {
  const before = await available()
  const result = await complete(client, { model: 'dev-mini', messages, maxTokens: 12 })
  expect(result).toMatchObject({
    model: 'dev-mini',
    finishReason: 'length',
    usage: { outputTokens: 12 },
  })
  expect(result.text.length).toBeGreaterThan(0)
  expect(result.costMicroUsd).toBeGreaterThan(0n)
  expect(await available()).toBe(before - result.costMicroUsd)

  const { items } = await client.usage({ limit: 5 })
  expect(items.find((row) => row.requestId === result.requestId)).toMatchObject({
    status: 'CHARGED',
    chargeMicroUsd: result.costMicroUsd,
    stream: false,
  })
})

test('the same idempotency key twice: the first answer again, charged once', async () => {
  const before = await available()
  const parameters = {
    model: 'dev-mini',
    messages,
    maxTokens: 6,
    idempotencyKey: crypto.randomUUID(),
  }
  const first = await client.complete(parameters)
  const second = await client.complete(parameters)
  expect(second).toEqual(first)
  expect(await available()).toBe(before - first.costMicroUsd)
})

test('too poor for the prompt: InsufficientBalanceError (402)', async () => {
  const poor = createAccessPointClient({ url, account: countingAccount(accounts.poor) })
  const error = await poor
    .complete({ model: 'dev-pro', messages: [{ role: 'user', content: 'x'.repeat(150_000) }] })
    .catch((error: unknown) => error)
  expect(error).toBeInstanceOf(InsufficientBalanceError)
  expect(error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', status: 402 })
})

test('an unknown model: ModelNotFoundError (404) naming the available ones', async () => {
  const error = await client
    .complete({ model: 'gpt-imaginary', messages })
    .catch((error: unknown) => error)
  expect(error).toBeInstanceOf(ModelNotFoundError)
  expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', status: 404 })
  expect((error as ModelNotFoundError).message).toContain('dev-mini')
})
