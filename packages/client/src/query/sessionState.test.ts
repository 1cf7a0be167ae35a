import { expect, test } from 'vitest'
import { stubClient } from '../../test/stubClient.js'
import { sessionStateQueryKey, sessionStateQueryOptions } from './sessionState.js'

test('a stable key naming the caller; queryFn reads client.sessionState', async () => {
  const client = stubClient()
  const options = sessionStateQueryOptions(client)
  expect(options.queryKey).toEqual(sessionStateQueryKey(stubClient()))
  expect(options.queryKey).toMatchInlineSnapshot(`
    [
      "accesspoint",
      "sessionState",
      {
        "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "url": "https://ai.example.com",
      },
    ]
  `)
  expect(sessionStateQueryKey(client, { scopeKey: 'x' })).not.toEqual(options.queryKey)
  await options.queryFn()
  expect(client.sessionState).toHaveBeenCalledWith()
})
