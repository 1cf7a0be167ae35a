import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { signIn } from './signIn.js'

const url = inject('serverUrl')

test('one signature opens a session; signing in again reuses it unless forced', async () => {
  const account = countingAccount(accounts.shared)
  const client = createAccessPointClient({ url, account })
  const session = await signIn(client)
  expect(session).toMatchObject({ address: account.address.toLowerCase(), chainId: 31337 })
  expect(session.token).toMatch(/^ap_sess_/)
  expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 60 * 60_000)

  expect((await client.signIn()).id).toBe(session.id)
  expect(account.signatures()).toBe(1)
  const forced = await client.signIn({ force: true })
  expect(forced.id).not.toBe(session.id)
  expect(account.signatures()).toBe(2)
})

test('the message is built from what the server asks for, with the statement given', async () => {
  const account = countingAccount(accounts.shared)
  const messages: string[] = []
  const client = createAccessPointClient({
    url,
    account: {
      ...account,
      signMessage: async (parameters) => {
        messages.push(String(parameters.message))
        return account.signMessage(parameters)
      },
    },
    statement: 'Sign in to the trading bot.',
  })
  await client.signIn()
  expect(messages[0]).toMatch(
    /^app\.example\.com wants you to sign in with your Ethereum account:\n0x70997970C51812dc3A010C7d01b50e0d17dc79C8\n\nSign in to the trading bot\.\n\nURI: https:\/\/app\.example\.com\nVersion: 1\nChain ID: 31337\nNonce: \w+\nIssued At: /,
  )
})
