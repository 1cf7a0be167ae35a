import { expect, test } from 'vitest'
import * as contracts from './index.js'

test('exports', () => {
  expect(Object.keys(contracts).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "ContractDeploymentError",
      "accessControlAbi",
      "accessPassAbi",
      "accessPassBytecode",
      "anvilChainId",
      "anvilMnemonic",
      "billingRole",
      "defaultAdminRole",
      "deployAccessPass",
      "deployMockUsdc",
      "devAccounts",
      "devChainAddresses",
      "minterRole",
      "mockUsdcAbi",
      "mockUsdcBytecode",
      "version",
    ]
  `)
})
