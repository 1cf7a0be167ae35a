import { QueryClient } from '@tanstack/query-core'
import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { stubClient } from '../../test/stubClient.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { meQueryOptions } from './me.js'
import { usageInfiniteQueryOptions, usageQueryKey } from './usage.js'

test('a stable key with the page size; pages follow nextCursor', async () => {
  const client = stubClient()
  const options = usageInfiniteQueryOptions(client, { limit: 10 })
  expect(options.queryKey).toEqual(usageQueryKey(stubClient(), { limit: 10 }))
  expect(options.queryKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "usage",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "limit": 10,
        "url": "https://ai.example.com",
      },
    ]
  `)
  expect(options.initialPageParam).toBeUndefined()
  const signal = new AbortController().signal
  await options.queryFn({ pageParam: 'c1', signal })
  expect(client.usage).toHaveBeenCalledWith({ cursor: 'c1', limit: 10, signal })
  const page = { items: [], totals: { count: 0, chargedCount: 0, chargedMicroUsd: 0n } }
  expect(options.getNextPageParam({ ...page, nextCursor: 'c2' })).toBe('c2')
  expect(options.getNextPageParam({ ...page, nextCursor: null })).toBeUndefined()
})

test('with a real QueryClient and server: fetches page after page', async () => {
  const client = createAccessPointClient({
    url: inject('serverUrl'),
    account: countingAccount(accounts.shared),
  })
  for (const content of ['a', 'b', 'c'])
    await client.complete({
      model: 'dev-mini',
      messages: [{ role: 'user', content }],
      maxTokens: 1,
    })
  const queryClient = new QueryClient()
  const data = await queryClient.fetchInfiniteQuery({
    ...usageInfiniteQueryOptions(client, { limit: 1 }),
    pages: 2,
  })
  expect(data.pages).toHaveLength(2)
  expect(data.pageParams[1]).toEqual(expect.any(String))
  const ids = data.pages.flatMap((page) => page.items.map((row) => row.requestId))
  expect(new Set(ids).size).toBe(2)
  // And the plain query factories work with query-core as they are.
  const me = await queryClient.fetchQuery(meQueryOptions(client))
  expect(me.roles).toContain('holder')
  queryClient.clear()
})
