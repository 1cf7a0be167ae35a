import { InvalidInputError } from '@accesspoint/core'
import { keccak256, stringToBytes, zeroHash } from 'viem'
import { describe, expect, test } from 'vitest'
import { parseRolesConfig } from './parseRolesConfig.js'

const pass = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512'
const passChecksummed = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const admin = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'

function issuesOf(json: unknown) {
  try {
    parseRolesConfig(json)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    return (error as InvalidInputError).issues
  }
  throw new Error('parseRolesConfig accepted the config')
}

describe('parseRolesConfig', () => {
  test('normalises every kind of rule', () => {
    expect(
      parseRolesConfig({
        holder: { type: 'erc721', chainId: 31337, contract: pass },
        whale: { type: 'erc721', chainId: 31337, contract: pass, minBalance: '3' },
        gold: { type: 'erc1155', chainId: 1, contract: pass, tokenId: '7', minBalance: 2 },
        minter: { type: 'accessControl', chainId: 31337, contract: pass, role: 'MINTER_ROLE' },
        admin: {
          any: [
            { type: 'accessControl', chainId: 31337, contract: pass, role: 'DEFAULT_ADMIN_ROLE' },
            { type: 'allowlist', addresses: [admin] },
          ],
        },
        both: {
          all: [
            { type: 'erc721', chainId: 31337, contract: pass },
            {
              type: 'accessControl',
              chainId: 31337,
              contract: pass,
              role: `0x${'AB'.repeat(32)}`,
            },
          ],
        },
      }),
    ).toStrictEqual({
      holder: { type: 'erc721', chainId: 31337, contract: passChecksummed },
      whale: { type: 'erc721', chainId: 31337, contract: passChecksummed, minBalance: 3n },
      gold: { type: 'erc1155', chainId: 1, contract: passChecksummed, tokenId: 7n, minBalance: 2n },
      minter: {
        type: 'accessControl',
        chainId: 31337,
        contract: passChecksummed,
        role: keccak256(stringToBytes('MINTER_ROLE')),
      },
      admin: {
        any: [
          { type: 'accessControl', chainId: 31337, contract: passChecksummed, role: zeroHash },
          { type: 'allowlist', addresses: ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'] },
        ],
      },
      both: {
        all: [
          { type: 'erc721', chainId: 31337, contract: passChecksummed },
          {
            type: 'accessControl',
            chainId: 31337,
            contract: passChecksummed,
            role: `0x${'ab'.repeat(32)}`,
          },
        ],
      },
    })
  })

  test('accepts JSON text', () => {
    expect(
      parseRolesConfig(
        `{"holder":{"type":"erc1155","chainId":1,"contract":"${pass}","tokenId":"115792089237316195423570985008687907853269984665640564039457584007913129639935"}}`,
      ),
    ).toStrictEqual({
      holder: {
        type: 'erc1155',
        chainId: 1,
        contract: passChecksummed,
        tokenId: 2n ** 256n - 1n,
      },
    })
    expect(() => parseRolesConfig('{"holder":')).toThrowError(/not valid JSON/)
  })

  test('names the path and the fix of each problem', () => {
    expect(
      issuesOf({
        admin: {
          any: [
            { type: 'accessControl', chainId: '1', contract: '0x1234', role: 'minter' },
            { type: 'allowlist', addresses: [admin, 'alice.eth'] },
            { type: 'erc721', chainId: 1, contract: pass, minbalance: 1 },
          ],
        },
        whale: { type: 'erc721', chainId: 1, contract: pass, minBalance: '0' },
        big: { type: 'erc1155', chainId: 1, contract: pass, tokenId: 1.5 },
        nobody: { any: [] },
        typo: { type: 'erc20', chainId: 1, contract: pass },
        'bad name': { type: 'allowlist', addresses: [] },
      }),
    ).toMatchInlineSnapshot(`
      [
        {
          "message": "Must be the chain id as a JSON number, e.g. 1 or 31337.",
          "path": "admin.any[0].chainId",
        },
        {
          "message": ""0x1234" is not an address. Use 0x followed by 40 hex digits, checksummed or all lower case.",
          "path": "admin.any[0].contract",
        },
        {
          "message": ""minter" is not a role. Use a name like "MINTER_ROLE" or "DEFAULT_ADMIN_ROLE", or a bytes32 hex (0x + 64 hex digits).",
          "path": "admin.any[0].role",
        },
        {
          "message": ""alice.eth" is not an address. Use 0x followed by 40 hex digits, checksummed or all lower case.",
          "path": "admin.any[1].addresses[1]",
        },
        {
          "message": "Unrecognized key: "minbalance"",
          "path": "admin.any[2]",
        },
        {
          "message": "Must be a whole number ≥ 1 as a decimal string (e.g. "1") or a JSON number up to 2^53.",
          "path": "whale.minBalance",
        },
        {
          "message": "Must be a whole number ≥ 0 as a decimal string (e.g. "1") or a JSON number up to 2^53.",
          "path": "big.tokenId",
        },
        {
          "message": ""any" must list at least one rule.",
          "path": "nobody.any",
        },
        {
          "message": "A rule needs "type": "erc721", "erc1155", "accessControl" or "allowlist", or is { "any": [rules] } or { "all": [rules] }.",
          "path": "typo.type",
        },
        {
          "message": "Role names use letters, digits, "_", ".", ":" or "-", e.g. "holder" or "admin".",
          "path": "bad name",
        },
      ]
    `)
  })

  test('rejects a config that is not an object of rules', () => {
    expect(issuesOf([])).toStrictEqual([
      {
        path: '(roles config)',
        message: 'The roles config must be an object mapping role names to rules.',
      },
    ])
    expect(issuesOf({ holder: 'erc721' })[0]?.path).toBe('holder')
  })

  test('rejects a mixed-case address with a bad checksum', () => {
    expect(
      issuesOf({
        a: { type: 'allowlist', addresses: ['0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266'] },
      }),
    ).toHaveLength(1)
  })
})
