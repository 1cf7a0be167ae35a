import type { TRPCClientError } from '@trpc/client'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { devAccount, signInAs } from '../../test/signInAs.js'
import { databaseKinds } from '../../test/testDatabase.js'
import { placeHold } from '../billing/placeHold.js'

// Account 3's pass holds $0.01 (10 000 micro-USD). With dev-pro ($2 in / $8 out per million
// tokens), a short prompt and maxTokens 20 hold a few hundred micro-USD each: roughly 40-50
// requests fit, so 200 at once must be refused for the most part.
const request = {
  model: 'dev-pro',
  messages: [{ role: 'user' as const, content: 'Quote me a price.' }],
  maxTokens: 20,
}

async function burst(clients: ReturnType<TestServer['client']>[], count: number) {
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      clients[index % clients.length]?.ai.complete.mutate(request),
    ),
  )
  const admitted = results.flatMap((result) =>
    result.status === 'fulfilled' && result.value ? [result.value] : [],
  )
  const refusals = results.flatMap((result) =>
    result.status === 'rejected' ? [(result.reason as TRPCClientError<never>).data as unknown] : [],
  )
  return { admitted, refusals }
}

async function passRow(server: TestServer) {
  const rows = await server.accessPoint.database.prisma.pass.findMany({
    where: { ownerAddress: devAccount(3).address.toLowerCase() },
  })
  expect(rows).toHaveLength(1)
  return rows[0] as NonNullable<(typeof rows)[number]>
}

async function expectBalanced(server: TestServer, admitted: { costMicroUsd: bigint }[]) {
  const pass = await passRow(server)
  const charged = admitted.reduce((sum, result) => sum + result.costMicroUsd, 0n)
  expect(pass.heldMicroUsd).toBe(0n)
  expect(pass.pendingMicroUsd).toBe(charged)
  expect(pass.creditMicroUsd - pass.pendingMicroUsd).toBeGreaterThanOrEqual(0n)
  const ledger = await server.accessPoint.database.prisma.ledgerEntry.aggregate({
    where: { passId: pass.id, status: 'CHARGED' },
    _sum: { chargeMicroUsd: true },
  })
  expect(ledger._sum.chargeMicroUsd ?? 0n).toBe(charged)
}

describe.each(databaseKinds)('200 concurrent requests on a $0.01 pass (%s)', (kind) => {
  let server: TestServer
  beforeAll(async () => {
    server = await createTestServer(kind)
  })
  afterAll(() => server?.close())

  test('admit only what the balance allows; Σ charges = Δ available; never below zero', async () => {
    const token = (await signInAs(server.client(), devAccount(3))).token
    const { admitted, refusals } = await burst([server.client(token)], 200)
    expect(admitted.length).toBeGreaterThan(10)
    expect(refusals.length).toBeGreaterThan(100)
    expect(
      new Set(refusals.map((data) => (data as { accessPointCode?: string }).accessPointCode)),
    ).toEqual(new Set(['INSUFFICIENT_BALANCE']))
    await expectBalanced(server, admitted)
  })

  test('a stale balance hint (holds placed elsewhere) clamps max_tokens instead of refusing', async () => {
    const client = server.client((await signInAs(server.client(), devAccount(2))).token)
    const big = { ...request, maxTokens: 100_000 }
    // The first request reads the pass; its hold leaves this instance a hint that ~$5 is free.
    await client.ai.complete.mutate(request)
    const { database } = server.accessPoint
    const pass = await database.prisma.pass.findFirstOrThrow({
      where: { ownerAddress: devAccount(2).address.toLowerCase() },
    })
    // Another instance's requests now hold all but 1,000 micro-USD.
    const available =
      pass.creditMicroUsd - pass.pendingMicroUsd - pass.heldMicroUsd - pass.debtMicroUsd
    const price = await server.accessPoint.services.prices.get('dev-pro')
    await placeHold({
      database,
      requestId: `elsewhere-${kind}`,
      walletAddress: pass.ownerAddress as string,
      pass: { id: pass.id, creditMicroUsd: pass.creditMicroUsd },
      model: 'dev-pro',
      priceId: price.id,
      holdMicroUsd: available - 1_000n,
      holdTtlMs: 60_000,
    })
    // By the hint, 100,000 tokens ($0.80) fit unclamped; the database says 1,000 micro-USD: the
    // request is admitted with max_tokens clamped to fit, as it would be from a fresh read.
    const result = await client.ai.complete.mutate(big)
    expect(result.costMicroUsd).toBeGreaterThan(0n)
    expect(result.costMicroUsd).toBeLessThanOrEqual(1_000n)
    expect(result.usage.outputTokens).toBeLessThan(125)
  })
})

describe('two server instances sharing PostgreSQL', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await createTestServer('postgres')
  })
  afterAll(() => server?.close())

  test('holds stay exact across instances', async () => {
    const other = await server.secondInstance()
    const token = (await signInAs(server.client(), devAccount(3))).token
    const { admitted, refusals } = await burst([server.client(token), other.client(token)], 200)
    expect(admitted.length).toBeGreaterThan(10)
    expect(refusals.length).toBeGreaterThan(100)
    await expectBalanced(server, admitted)
  })
})
