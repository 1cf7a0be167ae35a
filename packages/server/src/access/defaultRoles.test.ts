import { zeroHash } from 'viem'
import { expect, test } from 'vitest'
import { defaultRoles } from './defaultRoles.js'
import { parseRolesConfig } from './parseRolesConfig.js'

test('holder holds a pass; admin has the admin role or is allowlisted', () => {
  const roles = defaultRoles({
    chainId: 31337,
    accessPass: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
    adminAddresses: ['0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'],
  })
  expect(roles).toStrictEqual({
    holder: {
      type: 'erc721',
      chainId: 31337,
      contract: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    },
    admin: {
      any: [
        {
          type: 'accessControl',
          chainId: 31337,
          contract: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
          role: zeroHash,
        },
        { type: 'allowlist', addresses: ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'] },
      ],
    },
  })
  // What defaultRoles builds is what a hand-written config parses to.
  expect(parseRolesConfig(JSON.parse(JSON.stringify(roles)))).toStrictEqual(roles)
})

test('without admin addresses the allowlist is empty', () => {
  const { admin } = defaultRoles({
    chainId: 1,
    accessPass: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  })
  expect(admin).toMatchObject({ any: [{}, { type: 'allowlist', addresses: [] }] })
})
