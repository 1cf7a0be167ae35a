import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { getMe } from './getMe.js'

test('address, roles, passes with credit (bigint), and the session', async () => {
  const account = countingAccount(accounts.shared)
  const me = await getMe(createAccessPointClient({ url: inject('serverUrl'), account }))
  expect(me).toMatchObject({
    address: account.address.toLowerCase(),
    roles: ['holder'],
    passes: [{ chainId: 31337, tokenId: 1n }],
    apiKey: null,
  })
  expect(typeof me.passes[0]?.creditMicroUsd).toBe('bigint')
  expect(me.session?.expiresAt).toBeInstanceOf(Date)
})
