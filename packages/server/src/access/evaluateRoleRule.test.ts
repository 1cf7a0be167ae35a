import { InternalError } from '@accesspoint/core'
import { zeroHash } from 'viem'
import { describe, expect, test } from 'vitest'
import { evaluateRoleRule } from './evaluateRoleRule.js'
import { getFactKey } from './getFactKey.js'
import type { AccessFact, AccessFactLookup, AccessFactValue, RoleRule } from './types.js'

const pass = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const multi = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const alice = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

const nft: RoleRule = { type: 'erc721', chainId: 1, contract: pass }
const whale: RoleRule = { type: 'erc721', chainId: 1, contract: pass, minBalance: 3n }
const gold: RoleRule = { type: 'erc1155', chainId: 1, contract: multi, tokenId: 7n, minBalance: 2n }
const admin: RoleRule = { type: 'accessControl', chainId: 1, contract: pass, role: zeroHash }
const listed: RoleRule = { type: 'allowlist', addresses: [alice] }

function lookup(entries: [AccessFact, AccessFactValue][]): AccessFactLookup {
  const values = new Map(entries.map(([fact, value]) => [getFactKey(fact), value]))
  return (fact) => values.get(getFactKey(fact)) as AccessFactValue<typeof fact> | undefined
}

const facts = lookup([
  [{ type: 'erc721Balance', chainId: 1, contract: pass }, 2n],
  [{ type: 'erc1155Balance', chainId: 1, contract: multi, tokenId: 7n }, 2n],
  [{ type: 'hasRole', chainId: 1, contract: pass, role: zeroHash }, false],
])

describe('evaluateRoleRule', () => {
  test.each([
    ['erc721, default minimum 1', nft, true],
    ['erc721 below minBalance', whale, false],
    ['erc1155 at minBalance', gold, true],
    ['accessControl without the role', admin, false],
    ['allowlist, any letter case', { type: 'allowlist', addresses: [alice.toLowerCase()] }, true],
    ['any: one holds', { any: [admin, nft] }, true],
    ['any: none holds', { any: [admin, whale] }, false],
    ['all: every one holds', { all: [nft, gold] }, true],
    ['all: one fails', { all: [nft, admin] }, false],
    ['nested', { all: [{ any: [admin, listed] }, { any: [whale, gold] }] }, true],
  ] as [string, RoleRule, boolean][])('%s', (_, rule, expected) => {
    expect(evaluateRoleRule({ rule, address: alice, facts })).toBe(expected)
  })

  test('allowlist is per address', () => {
    expect(
      evaluateRoleRule({
        rule: listed,
        address: '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65',
        facts,
      }),
    ).toBe(false)
  })

  test('a fact that was not read is a bug, not a "no"', () => {
    expect(() =>
      evaluateRoleRule({
        rule: { type: 'erc721', chainId: 2, contract: pass },
        address: alice,
        facts,
      }),
    ).toThrowError(InternalError)
  })
})
