import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { getSpendHistory } from './getSpendHistory.js'

const hour = 3_600_000

test('charges per hour or day, oldest first, zero-filled, with a total', async () => {
  const client = createAccessPointClient({
    url: inject('serverUrl'),
    account: countingAccount(accounts.shared),
  })
  const before = await getSpendHistory(client, { bucket: 'hour', count: 3 })
  const { costMicroUsd } = await client.complete({
    model: 'dev-mini',
    messages: [{ role: 'user', content: 'chart' }],
    maxTokens: 2,
  })
  expect(costMicroUsd).toBeGreaterThan(0n)

  const hours = await getSpendHistory(client, { bucket: 'hour', count: 3 })
  expect(hours.bucket).toBe('hour')
  const starts = hours.buckets.map(({ start }) => start.getTime())
  expect(starts).toEqual([0, 1, 2].map((i) => (starts[0] ?? 0) + i * hour))
  expect((starts[2] ?? 0) % hour).toBe(0)
  // Other test files spend from this wallet too: ours is at least in the difference.
  expect(hours.totalMicroUsd - before.totalMicroUsd).toBeGreaterThanOrEqual(costMicroUsd)
  expect(hours.buckets.reduce((sum, bucket) => sum + bucket.chargedMicroUsd, 0n)).toBe(
    hours.totalMicroUsd,
  )

  const days = await getSpendHistory(client)
  expect(days.bucket).toBe('day')
  expect(days.buckets).toHaveLength(30)
  expect(days.totalMicroUsd).toBeGreaterThanOrEqual(hours.totalMicroUsd)
  // The server started today: its oldest days are there, filled with zeros.
  expect(days.buckets[0]).toMatchObject({ chargedMicroUsd: 0n, requests: 0 })
  const [yesterday, today] = days.buckets.slice(-2)
  expect((yesterday?.requests ?? 0) + (today?.requests ?? 0)).toBeGreaterThan(0)
})

test('a count out of range is refused with INVALID_INPUT', async () => {
  const client = createAccessPointClient({
    url: inject('serverUrl'),
    account: countingAccount(accounts.shared),
  })
  await expect(getSpendHistory(client, { count: 367 })).rejects.toMatchObject({
    code: 'INVALID_INPUT',
  })
})
