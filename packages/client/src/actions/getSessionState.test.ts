import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { memoryStorage } from '../storage/memoryStorage.js'
import { getSessionState } from './getSessionState.js'

const url = inject('serverUrl')

test('none, then active after signIn, then expired once the server ended it; never signs', async () => {
  const storage = memoryStorage()
  const account = countingAccount(accounts.shared)
  const client = createAccessPointClient({ url, account, storage, autoSignIn: false })
  expect(await getSessionState(client)).toEqual({ status: 'none' })

  const session = await client.signIn()
  expect(await getSessionState(client)).toEqual({
    status: 'active',
    id: session.id,
    address: session.address,
    chainId: 31337,
    expiresAt: session.expiresAt,
  })

  // Signed out by another client on the same storage: this one learns it at its next call.
  await createAccessPointClient({
    url,
    account: countingAccount(accounts.shared),
    storage,
  }).signOut()
  await expect(client.me()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
  expect(await getSessionState(client)).toMatchObject({ status: 'none' })
  expect(account.signatures()).toBe(1)
})

test('a session the server rejected reads as expired, and calls say so without a request', async () => {
  const storage = memoryStorage()
  const account = countingAccount(accounts.shared)
  const client = createAccessPointClient({ url, account, storage, autoSignIn: false })
  const session = await client.signIn()
  // Ended behind the client's back (as an admin's revocation would): signed out over plain HTTP
  // with its token, leaving the client's storage as it was.
  const key = `accesspoint:session:v1:${url}:${account.address.toLowerCase()}`
  const { token } = JSON.parse((await storage.get(key)) ?? '{}') as { token: string }
  const response = await fetch(`${url}/trpc/auth.signOut`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  })
  expect(response.status).toBe(200)
  await expect(client.me()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
  const state = await getSessionState(client)
  expect(state).toMatchObject({ status: 'expired', id: session.id })
  expect(state.status === 'expired' && state.endedAt).toBeInstanceOf(Date)
  await expect(client.balance()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
  expect(account.signatures()).toBe(1)
})

test('an API-key client has no session state', async () => {
  const client = createAccessPointClient({ url, apiKey: 'ap_live_not_checked_here' })
  expect(await getSessionState(client)).toEqual({ status: 'none' })
})
