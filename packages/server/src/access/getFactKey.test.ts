import { zeroHash } from 'viem'
import { expect, test } from 'vitest'
import { getFactKey } from './getFactKey.js'

const pass = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'

test('one key per fact, whatever the letter case', () => {
  const keys = [
    getFactKey({ type: 'erc721Balance', chainId: 1, contract: pass }),
    getFactKey({ type: 'erc721Balance', chainId: 2, contract: pass }),
    getFactKey({ type: 'erc1155Balance', chainId: 1, contract: pass, tokenId: 1n }),
    getFactKey({ type: 'erc1155Balance', chainId: 1, contract: pass, tokenId: 2n }),
    getFactKey({ type: 'hasRole', chainId: 1, contract: pass, role: zeroHash }),
    getFactKey({ type: 'passes', chainId: 1, contract: pass }),
  ]
  expect(new Set(keys).size).toBe(keys.length)
  expect(
    getFactKey({ type: 'erc721Balance', chainId: 1, contract: pass.toLowerCase() as never }),
  ).toBe(keys[0])
})
