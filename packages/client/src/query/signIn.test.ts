import { expect, test } from 'vitest'
import { stubClient } from '../../test/stubClient.js'
import { signInMutationKey, signInMutationOptions } from './signIn.js'

test('a stable key naming the caller; mutationFn calls client.signIn', async () => {
  const client = stubClient()
  const options = signInMutationOptions(client)
  expect(options.mutationKey).toEqual(signInMutationKey(stubClient()))
  expect(options.mutationKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "signIn",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "url": "https://ai.example.com",
      },
    ]
  `)
  await options.mutationFn({ force: true })
  expect(client.signIn).toHaveBeenCalledWith({ force: true })
})
