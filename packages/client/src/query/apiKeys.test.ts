import { expect, test } from 'vitest'
import { stubClient } from '../../test/stubClient.js'
import { apiKeysQueryKey, apiKeysQueryOptions } from './apiKeys.js'

test('a stable key naming the caller; queryFn calls client.keys.list with the signal', async () => {
  const client = stubClient()
  const options = apiKeysQueryOptions(client)
  expect(options.queryKey).toEqual(apiKeysQueryKey(stubClient()))
  expect(options.queryKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "apiKeys",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "url": "https://ai.example.com",
      },
    ]
  `)
  expect(apiKeysQueryKey(client, { scopeKey: 'x' })).not.toEqual(options.queryKey)
  expect(
    apiKeysQueryKey(stubClient({ address: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' })),
  ).not.toEqual(options.queryKey)

  const signal = new AbortController().signal
  await options.queryFn({ signal })
  expect(client.keys.list).toHaveBeenCalledWith({ signal })
})
