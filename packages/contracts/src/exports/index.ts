// Isomorphic: safe in browsers. Node-only helpers (the anvil dev chain) and test fixtures are in
// `@accesspoint/contracts/testing`.

export { accessControlAbi } from '../abis/accessControlAbi.js'
export {
  type DeployAccessPassErrorType,
  type DeployAccessPassParameters,
  type DeployAccessPassReturnType,
  deployAccessPass,
} from '../accessPass/deployAccessPass.js'
export { billingRole, defaultAdminRole, minterRole } from '../accessPass/roles.js'
export {
  anvilChainId,
  anvilMnemonic,
  type DevAccount,
  devAccounts,
  devChainAddresses,
} from '../devChain/constants.js'
export {
  BaseError,
  type BaseErrorParameters,
  type BaseErrorType,
} from '../errors/base.js'
export {
  ContractDeploymentError,
  type ContractDeploymentErrorParameters,
  type ContractDeploymentErrorType,
} from '../errors/deploy.js'
export { version } from '../errors/version.js'
export { accessPassAbi, accessPassBytecode } from '../generated/AccessPass.js'
export { mockUsdcAbi, mockUsdcBytecode } from '../generated/MockUSDC.js'
export type { DeployClients, DeployedContract } from '../internal/sendDeployment.js'
export {
  type DeployMockUsdcErrorType,
  type DeployMockUsdcParameters,
  type DeployMockUsdcReturnType,
  deployMockUsdc,
} from '../mockUsdc/deployMockUsdc.js'
