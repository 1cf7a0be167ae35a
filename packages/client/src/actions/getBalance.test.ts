import { expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { createAccessPointClient } from '../client/createAccessPointClient.js'
import { getBalance } from './getBalance.js'

test("each pass's credit, pending, held and available amounts", async () => {
  const client = createAccessPointClient({
    url: inject('serverUrl'),
    account: countingAccount(accounts.poor),
  })
  const [pass, ...others] = await getBalance(client)
  expect(others).toEqual([])
  expect(pass).toMatchObject({ tokenId: 3n, creditMicroUsd: 10_000n, suspended: false })
  if (!pass) return
  expect(pass.availableMicroUsd).toBe(
    pass.creditMicroUsd - pass.pendingMicroUsd - pass.heldMicroUsd,
  )
})
