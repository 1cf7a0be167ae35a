import { keccak256, toBytes, zeroHash } from 'viem'
import { expect, test } from 'vitest'
import { billingRole, defaultAdminRole, minterRole } from './roles.js'

test('role ids are the hashes OpenZeppelin uses', () => {
  expect(defaultAdminRole).toBe(zeroHash)
  expect(minterRole).toBe(keccak256(toBytes('MINTER_ROLE')))
  expect(billingRole).toBe(keccak256(toBytes('BILLING_ROLE')))
})
