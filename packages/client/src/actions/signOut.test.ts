import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { memoryStorage } from '../storage/memoryStorage.js'
import { signOut } from './signOut.js'

const url = inject('serverUrl')

test('ends the session on the server and forgets it; the next call signs in again', async () => {
  const storage = memoryStorage()
  const account = countingAccount(accounts.shared)
  const client = createAccessPointClient({ url, account, storage })
  const { id, token } = await client.signIn()
  expect(await signOut(client)).toEqual({ signedOut: true })
  expect(await signOut(client)).toEqual({ signedOut: false })

  // The old token is dead on the server: a client holding only it is refused.
  const apiKeyLike = createAccessPointClient({ url, apiKey: token })
  await expect(apiKeyLike.me()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })

  expect((await client.me()).session?.id).not.toBe(id)
  expect(account.signatures()).toBe(2)
})

test('never signs just to sign out', async () => {
  const account = countingAccount(accounts.shared)
  expect(await createAccessPointClient({ url, account }).signOut()).toEqual({ signedOut: false })
  expect(account.signatures()).toBe(0)
})
