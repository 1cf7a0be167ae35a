import { expect, test } from 'vitest'
import { stubClient } from '../../test/stubClient.js'
import { revokeApiKeyMutationKey, revokeApiKeyMutationOptions } from './revokeApiKey.js'

test('a stable key naming the caller; mutationFn calls client.keys.revoke', async () => {
  const client = stubClient()
  const options = revokeApiKeyMutationOptions(client)
  expect(options.mutationKey).toEqual(revokeApiKeyMutationKey(stubClient()))
  expect(options.mutationKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "revokeApiKey",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "url": "https://ai.example.com",
      },
    ]
  `)
  await options.mutationFn({ id: 'k1' })
  expect(client.keys.revoke).toHaveBeenCalledWith({ id: 'k1' })
})
