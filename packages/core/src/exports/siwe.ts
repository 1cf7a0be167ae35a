// Sign-In with Ethereum (EIP-4361). An entry of its own, like viem/siwe: the strict parser brings
// an ABNF engine that needs Node's `buffer`, which browser bundles of the main entry must not pull.
export { siweMessageMaxLength } from '../siwe/constants.js'
export {
  type CreateSiweMessageErrorType,
  type CreateSiweMessageParameters,
  type CreateSiweMessageReturnType,
  createSiweMessage,
} from '../siwe/createSiweMessage.js'
export {
  InvalidSiweMessageError,
  type InvalidSiweMessageErrorParameters,
  type InvalidSiweMessageErrorType,
  SiweChainUnsupportedError,
  type SiweChainUnsupportedErrorParameters,
  type SiweChainUnsupportedErrorType,
  SiweDomainMismatchError,
  type SiweDomainMismatchErrorParameters,
  type SiweDomainMismatchErrorType,
  SiweExpiredError,
  type SiweExpiredErrorParameters,
  type SiweExpiredErrorType,
  SiweNonceInvalidError,
  type SiweNonceInvalidErrorParameters,
  type SiweNonceInvalidErrorType,
  SiweNotYetValidError,
  type SiweNotYetValidErrorParameters,
  type SiweNotYetValidErrorType,
} from '../siwe/errors.js'
export {
  type GenerateSiweNonceErrorType,
  type GenerateSiweNonceParameters,
  type GenerateSiweNonceReturnType,
  generateSiweNonce,
} from '../siwe/generateSiweNonce.js'
export {
  type ParseSiweMessageErrorType,
  type ParseSiweMessageParameters,
  type ParseSiweMessageReturnType,
  parseSiweMessage,
} from '../siwe/parseSiweMessage.js'
export type { SiweMessage } from '../siwe/types.js'
export {
  type ValidateSiweMessageErrorType,
  type ValidateSiweMessageParameters,
  type ValidateSiweMessageReturnType,
  validateSiweMessage,
} from '../siwe/validateSiweMessage.js'
