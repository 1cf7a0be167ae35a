import { expect, test } from 'vitest'
import * as testing from './testing.js'

test('exports', () => {
  expect(Object.keys(testing).sort()).toMatchInlineSnapshot(`
    [
      "deploySmartWalletFactory",
      "deployTestErc1155",
      "smartWalletAbi",
      "smartWalletBytecode",
      "smartWalletFactoryAbi",
      "smartWalletFactoryBytecode",
      "testErc1155Abi",
      "testErc1155Bytecode",
    ]
  `)
})
