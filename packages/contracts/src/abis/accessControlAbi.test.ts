import { expect, test } from 'vitest'
import { accessPassAbi } from '../generated/AccessPass.js'
import { accessControlAbi } from './accessControlAbi.js'

test('every item is exactly as OpenZeppelin compiles it', () => {
  for (const item of accessControlAbi) expect(accessPassAbi).toContainEqual(item)
})

test('covers the whole AccessControl surface', () => {
  expect(accessControlAbi.map((item) => `${item.type} ${item.name}`)).toMatchInlineSnapshot(`
    [
      "error AccessControlBadConfirmation",
      "error AccessControlUnauthorizedAccount",
      "event RoleAdminChanged",
      "event RoleGranted",
      "event RoleRevoked",
      "function DEFAULT_ADMIN_ROLE",
      "function getRoleAdmin",
      "function grantRole",
      "function hasRole",
      "function renounceRole",
      "function revokeRole",
    ]
  `)
})
