import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../../test/createTestServer.js'
import { expectError } from '../../../test/expectError.js'
import { devAccount, signInAs } from '../../../test/signInAs.js'
import { databaseKinds } from '../../../test/testDatabase.js'

const hour = 3_600_000
const day = 24 * hour

describe.each(databaseKinds)('billing.spendHistory on the %s database', (kind) => {
  let server: TestServer
  let token: string
  beforeAll(async () => {
    server = await createTestServer(kind)
    token = (await signInAs(server.client(), devAccount(1))).token
  })
  afterAll(() => server?.close())

  test('with no input: the last 30 UTC days, oldest first, ending today', async () => {
    const history = await server.client(token).billing.spendHistory.query()
    expect(history.bucket).toBe('day')
    expect(history.buckets).toHaveLength(30)
    const today = Math.floor(Date.now() / day) * day
    // Read just after midnight, our "today" may be the server's tomorrow.
    const last = history.buckets.at(-1)?.start.getTime() ?? 0
    expect([today, today - day]).toContain(last)
    expect(history.buckets.map(({ start }) => start.getTime())).toEqual(
      Array.from({ length: 30 }, (_, i) => last - (29 - i) * day),
    )
    expect(history.totalMicroUsd).toBe(0n)
  })

  test('a real ai.complete lands in its day and hour, for its wallet only', async () => {
    const other = (await signInAs(server.client(), devAccount(2))).token
    const before = {
      days: await server.client(token).billing.spendHistory.query({ bucket: 'day', count: 2 }),
      hours: await server.client(token).billing.spendHistory.query({ bucket: 'hour', count: 2 }),
      other: await server.client(other).billing.spendHistory.query({ count: 2 }),
    }
    const result = await server.client(token).ai.complete.mutate({
      model: 'dev-mini',
      messages: [{ role: 'user', content: 'Chart my spend.' }],
      maxTokens: 16,
    })
    expect(result.costMicroUsd).toBeGreaterThan(0n)
    const [row] = (await server.client(token).billing.usage.query({ limit: 1 })).items
    expect(row).toMatchObject({ requestId: result.requestId, status: 'CHARGED' })
    const capturedAt = row?.capturedAt?.getTime() ?? 0

    // Two buckets each, so a clock crossing an hour or midnight between the reads keeps every
    // charge of this (young) server in view.
    const days = await server.client(token).billing.spendHistory.query({ bucket: 'day', count: 2 })
    const hours = await server
      .client(token)
      .billing.spendHistory.query({ bucket: 'hour', count: 2 })
    expect(days.totalMicroUsd - before.days.totalMicroUsd).toBe(result.costMicroUsd)
    expect(hours.totalMicroUsd - before.hours.totalMicroUsd).toBe(result.costMicroUsd)
    // By capture time: the bucket holding capturedAt has the charge in it.
    for (const [history, size] of [
      [days, day],
      [hours, hour],
    ] as const) {
      const bucket = history.buckets.find(
        ({ start }) => start.getTime() === Math.floor(capturedAt / size) * size,
      )
      expect(bucket?.requests).toBeGreaterThanOrEqual(1)
      expect(bucket?.chargedMicroUsd).toBeGreaterThanOrEqual(result.costMicroUsd)
    }
    expect(hours.buckets.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(
      before.hours.buckets.reduce((sum, bucket) => sum + bucket.requests, 0) + 1,
    )

    const others = await server.client(other).billing.spendHistory.query({ count: 2 })
    expect(others.totalMicroUsd).toBe(before.other.totalMicroUsd)
  })

  test('an API key with the read scope may read it; one without, and no credentials, may not', async () => {
    const { secret: reader } = await server.client(token).keys.create.mutate({ name: 'charts' })
    const history = await server.client(reader).billing.spendHistory.query({ count: 7 })
    expect(history.buckets).toHaveLength(7)

    const { secret: aiOnly } = await server
      .client(token)
      .keys.create.mutate({ name: 'ai only', scopes: ['ai'] })
    await expectError(server.client(aiOnly).billing.spendHistory.query(), 'FORBIDDEN_ROLE', 403)
    await expectError(server.client().billing.spendHistory.query(), 'UNAUTHENTICATED', 401)
  })

  test.each([
    ['a count of 0', { count: 0 }],
    ['a count of 367', { count: 367 }],
    ['a fractional count', { count: 1.5 }],
    ['a bucket of a week', { bucket: 'week' }],
  ] as const)('%s is a clear 400', async (_name, input) => {
    await expectError(
      // @ts-expect-error: deliberately wrong input
      server.client(token).billing.spendHistory.query(input),
      'INVALID_INPUT',
      400,
    )
  })
})
