import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { createApiKey } from './createApiKey.js'

test('returns the secret once, with the key billed to the pass', async () => {
  const client = createAccessPointClient({
    url: inject('serverUrl'),
    account: countingAccount(accounts.shared),
  })
  const { secret, key } = await createApiKey(client, {
    name: 'reader',
    scopes: ['read'],
    expiresInDays: 7,
  })
  expect(secret).toMatch(/^ap_live_/)
  expect(secret.startsWith(key.prefix)).toBe(true)
  expect(key).toMatchObject({ name: 'reader', scopes: ['read'], pass: { tokenId: 1n } })
  expect(key.expiresAt?.getTime()).toBeGreaterThan(Date.now())

  // A read-only key may read, not spend.
  const reader = createAccessPointClient({ url: inject('serverUrl'), apiKey: secret })
  await expect(reader.balance()).resolves.toHaveLength(1)
  await expect(
    reader.complete({ model: 'dev-mini', messages: [{ role: 'user', content: 'hi' }] }),
  ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' })
})
