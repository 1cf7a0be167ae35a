import { expect, test } from 'vitest'
import { stubClient } from '../../test/stubClient.js'
import { meQueryKey, meQueryOptions } from './me.js'

test('a stable key naming the caller; queryFn calls client.me with the signal', async () => {
  const client = stubClient()
  const options = meQueryOptions(client)
  expect(options.queryKey).toEqual(meQueryKey(stubClient()))
  expect(options.queryKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "me",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "url": "https://ai.example.com",
      },
    ]
  `)
  expect(meQueryKey(client, { scopeKey: 'x' })).not.toEqual(options.queryKey)
  expect(
    meQueryKey(stubClient({ address: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' })),
  ).not.toEqual(options.queryKey)

  const signal = new AbortController().signal
  await options.queryFn({ signal })
  expect(client.me).toHaveBeenCalledWith({ signal })
})
