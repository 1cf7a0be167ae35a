// Node-only: the anvil dev chain, used by `pnpm dev`, tests and end-to-end tests. Kept out of the
// main entry so browser bundles never see child processes.

// Dev chain
export {
  type GetAnvilBinaryPathErrorType,
  type GetAnvilBinaryPathParameters,
  type GetAnvilBinaryPathReturnType,
  getAnvilBinaryPath,
} from '../devChain/getAnvilBinaryPath.js'
export {
  type DevChainPass,
  type StartDevChainErrorType,
  type StartDevChainParameters,
  type StartDevChainReturnType,
  startDevChain,
} from '../devChain/startDevChain.js'
export {
  AnvilNotFoundError,
  type AnvilNotFoundErrorParameters,
  type AnvilNotFoundErrorType,
  DevChainPortInUseError,
  type DevChainPortInUseErrorParameters,
  type DevChainPortInUseErrorType,
  DevChainStartError,
  type DevChainStartErrorParameters,
  type DevChainStartErrorType,
} from '../errors/devChain.js'
