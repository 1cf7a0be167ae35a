import { expect, test } from 'vitest'
import { stubClient } from '../../test/stubClient.js'
import { createApiKeyMutationKey, createApiKeyMutationOptions } from './createApiKey.js'

test('a stable key naming the caller; mutationFn calls client.keys.create', async () => {
  const client = stubClient()
  const options = createApiKeyMutationOptions(client)
  expect(options.mutationKey).toEqual(createApiKeyMutationKey(stubClient()))
  expect(options.mutationKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "createApiKey",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "url": "https://ai.example.com",
      },
    ]
  `)
  await options.mutationFn({ name: 'bot' })
  expect(client.keys.create).toHaveBeenCalledWith({ name: 'bot' })
})
