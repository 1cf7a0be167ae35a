import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { InvalidApiKeyError } from '../errors/server.js'
import { revokeApiKey } from './revokeApiKey.js'

test('a revoked key stops working at once', async () => {
  const url = inject('serverUrl')
  const client = createAccessPointClient({ url, account: countingAccount(accounts.shared) })
  const { secret, key } = await client.keys.create({ name: 'to revoke' })
  const bot = createAccessPointClient({ url, apiKey: secret })
  await bot.me()
  const revoked = await revokeApiKey(client, { id: key.id })
  expect(revoked.revokedAt).toBeInstanceOf(Date)
  await expect(bot.me()).rejects.toBeInstanceOf(InvalidApiKeyError)
})
