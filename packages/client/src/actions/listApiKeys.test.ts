import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { listApiKeys } from './listApiKeys.js'

test('lists keys newest first, never their secrets', async () => {
  const client = createAccessPointClient({
    url: inject('serverUrl'),
    account: countingAccount(accounts.shared),
  })
  const name = `list-${crypto.randomUUID()}`
  const { key } = await client.keys.create({ name })
  const keys = await listApiKeys(client)
  expect(keys.find((listed) => listed.id === key.id)).toEqual(key)
  expect(
    JSON.stringify(keys, (_, value) => (typeof value === 'bigint' ? String(value) : value)),
  ).not.toMatch(/ap_live_\w{20,}/)
})
