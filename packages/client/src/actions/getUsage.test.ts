import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { getUsage } from './getUsage.js'

test('pages through the ledger, newest first, with nextCursor', async () => {
  const client = createAccessPointClient({
    url: inject('serverUrl'),
    account: countingAccount(accounts.shared),
  })
  const requestIds: string[] = []
  for (const content of ['one', 'two', 'three']) {
    const { requestId } = await client.complete({
      model: 'dev-mini',
      messages: [{ role: 'user', content }],
      maxTokens: 2,
    })
    requestIds.push(requestId)
  }
  const first = await getUsage(client, { limit: 2 })
  expect(first.items).toHaveLength(2)
  expect(first.nextCursor).toEqual(expect.any(String))
  const second = await getUsage(client, { limit: 2, cursor: first.nextCursor ?? undefined })
  const seen = [...first.items, ...second.items].map((row) => row.requestId)
  expect(new Set(seen).size).toBe(seen.length)
  // Other tests use this wallet too, so ours are somewhere in the newest rows, in order.
  const page = await getUsage(client, { limit: 100 })
  const ours = page.items.map((row) => row.requestId).filter((id) => requestIds.includes(id))
  expect(ours).toEqual([...requestIds].reverse())
  expect(page.totals.count).toBeGreaterThanOrEqual(3)
  expect(typeof page.totals.chargedMicroUsd).toBe('bigint')
})
