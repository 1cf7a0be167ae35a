import { InvalidInputError } from '@accesspoint/core'
import { keccak256, stringToBytes, zeroHash } from 'viem'
import { expect, test } from 'vitest'
import { toRoleHash } from './toRoleHash.js'

test('hashes names the way OpenZeppelin declares them', () => {
  expect(toRoleHash('DEFAULT_ADMIN_ROLE')).toBe(zeroHash)
  expect(toRoleHash('MINTER_ROLE')).toBe(
    '0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6',
  )
  expect(toRoleHash('BILLING_ROLE')).toBe(keccak256(stringToBytes('BILLING_ROLE')))
})

test('passes bytes32 through, lower-cased', () => {
  expect(toRoleHash(`0x${'AB'.repeat(32)}`)).toBe(`0x${'ab'.repeat(32)}`)
})

test('rejects anything else', () => {
  for (const role of ['minter', '', '0x1234', `0x${'g'.repeat(64)}`, 'MINTER ROLE'])
    expect(() => toRoleHash(role)).toThrowError(InvalidInputError)
})
