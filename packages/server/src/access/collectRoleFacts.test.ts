import { zeroHash } from 'viem'
import { expect, test } from 'vitest'
import { collectRoleFacts } from './collectRoleFacts.js'

const pass = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const other = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

test('lists each fact once, nested rules included, allowlists excluded', () => {
  expect(
    collectRoleFacts({
      roles: {
        holder: { type: 'erc721', chainId: 31337, contract: pass },
        whale: { type: 'erc721', chainId: 31337, contract: pass, minBalance: 5n },
        admin: {
          any: [
            { type: 'accessControl', chainId: 31337, contract: pass, role: zeroHash },
            { type: 'allowlist', addresses: [other] },
          ],
        },
        gold: {
          all: [
            { type: 'erc1155', chainId: 1, contract: other, tokenId: 7n },
            {
              any: [{ type: 'erc1155', chainId: 1, contract: other, tokenId: 7n, minBalance: 2n }],
            },
          ],
        },
      },
      passContracts: [{ chainId: 31337, address: pass }],
    }),
  ).toStrictEqual([
    { type: 'erc721Balance', chainId: 31337, contract: pass },
    { type: 'hasRole', chainId: 31337, contract: pass, role: zeroHash },
    { type: 'erc1155Balance', chainId: 1, contract: other, tokenId: 7n },
    { type: 'passes', chainId: 31337, contract: pass },
  ])
})
