import { expect, test } from 'vitest'
import { stubClient } from '../../test/stubClient.js'
import { balanceQueryKey, balanceQueryOptions } from './balance.js'

test('a stable key naming the caller; queryFn calls client.balance with the signal', async () => {
  const client = stubClient()
  const options = balanceQueryOptions(client)
  expect(options.queryKey).toEqual(balanceQueryKey(stubClient()))
  expect(options.queryKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "balance",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "url": "https://ai.example.com",
      },
    ]
  `)
  expect(balanceQueryKey(client, { scopeKey: 'x' })).not.toEqual(options.queryKey)
  expect(
    balanceQueryKey(stubClient({ address: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' })),
  ).not.toEqual(options.queryKey)

  const signal = new AbortController().signal
  await options.queryFn({ signal })
  expect(client.balance).toHaveBeenCalledWith({ signal })
})
