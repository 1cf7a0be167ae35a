import { expect, test } from 'vitest'
import { stubClient } from '../../test/stubClient.js'
import { completeMutationKey, completeMutationOptions } from './complete.js'

test('a stable key naming the caller; mutationFn calls client.complete', async () => {
  const client = stubClient()
  const options = completeMutationOptions(client)
  expect(options.mutationKey).toEqual(completeMutationKey(stubClient()))
  expect(options.mutationKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "complete",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "url": "https://ai.example.com",
      },
    ]
  `)
  await options.mutationFn({ model: 'dev-mini', messages: [] })
  expect(client.complete).toHaveBeenCalledWith({ model: 'dev-mini', messages: [] })
})
