import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { getSession } from './getSession.js'

test('the session as the server sees it (signing in first)', async () => {
  const account = countingAccount(accounts.shared)
  const client = createAccessPointClient({ url: inject('serverUrl'), account })
  const session = await getSession(client)
  expect(session).toMatchObject({ address: account.address.toLowerCase(), chainId: 31337 })
  expect(session.expiresAt).toBeInstanceOf(Date)
  expect((await client.signIn()).id).toBe(session.id)
})
