import { QueryClient } from '@tanstack/query-core'
import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { stubClient } from '../../test/stubClient.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { spendHistoryQueryKey, spendHistoryQueryOptions } from './spendHistory.js'

test('a stable key with the bucket and count; queryFn calls client.spendHistory', async () => {
  const client = stubClient()
  const options = spendHistoryQueryOptions(client, { bucket: 'hour', count: 24 })
  expect(options.queryKey).toEqual(
    spendHistoryQueryKey(stubClient(), { bucket: 'hour', count: 24 }),
  )
  expect(options.queryKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "spendHistory",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "bucket": "hour",
        "count": 24,
        "url": "https://ai.example.com",
      },
    ]
  `)
  expect(spendHistoryQueryKey(client)).not.toEqual(options.queryKey)
  expect(spendHistoryQueryKey(client, { bucket: 'hour', count: 24, scopeKey: 'x' })).not.toEqual(
    options.queryKey,
  )

  const signal = new AbortController().signal
  await options.queryFn({ signal })
  expect(client.spendHistory).toHaveBeenCalledWith({ bucket: 'hour', count: 24, signal })
})

test('with a real QueryClient and server', async () => {
  const client = createAccessPointClient({
    url: inject('serverUrl'),
    account: countingAccount(accounts.shared),
  })
  const queryClient = new QueryClient()
  const data = await queryClient.fetchQuery(spendHistoryQueryOptions(client, { count: 7 }))
  expect(data.bucket).toBe('day')
  expect(data.buckets).toHaveLength(7)
  expect(typeof data.totalMicroUsd).toBe('bigint')
  queryClient.clear()
})
