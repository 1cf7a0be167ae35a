import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { getModels } from './getModels.js'

test('the dev models with their prices in micro-USD per million tokens', async () => {
  const client = createAccessPointClient({
    url: inject('serverUrl'),
    account: countingAccount(accounts.shared),
  })
  const models = await getModels(client)
  expect(models.map((model) => model.id)).toEqual(expect.arrayContaining(['dev-mini', 'dev-pro']))
  const mini = models.find((model) => model.id === 'dev-mini')
  expect(mini?.dev).toBe(true)
  expect(typeof mini?.price.outputMicroUsdPerMillionTokens).toBe('bigint')
})
