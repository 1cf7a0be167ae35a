// Solidity test fixtures (contract wallets for EIP-1271/6492 sign-in, an ERC-1155 for role rules).

export {
  type DeploySmartWalletFactoryErrorType,
  type DeploySmartWalletFactoryParameters,
  type DeploySmartWalletFactoryReturnType,
  deploySmartWalletFactory,
} from '../fixtures/deploySmartWalletFactory.js'
export {
  type DeployTestErc1155ErrorType,
  type DeployTestErc1155Parameters,
  type DeployTestErc1155ReturnType,
  deployTestErc1155,
} from '../fixtures/deployTestErc1155.js'
export { smartWalletAbi, smartWalletBytecode } from '../generated/SmartWallet.js'
export {
  smartWalletFactoryAbi,
  smartWalletFactoryBytecode,
} from '../generated/SmartWalletFactory.js'
export { testErc1155Abi, testErc1155Bytecode } from '../generated/TestERC1155.js'
