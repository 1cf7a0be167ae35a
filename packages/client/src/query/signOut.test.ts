import { expect, test } from 'vitest'
import { stubClient } from '../../test/stubClient.js'
import { signOutMutationKey, signOutMutationOptions } from './signOut.js'

test('a stable key naming the caller; mutationFn calls client.signOut', async () => {
  const client = stubClient()
  const options = signOutMutationOptions(client)
  expect(options.mutationKey).toEqual(signOutMutationKey(stubClient()))
  expect(options.mutationKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "signOut",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "url": "https://ai.example.com",
      },
    ]
  `)
  await options.mutationFn({})
  expect(client.signOut).toHaveBeenCalledWith({})
})
