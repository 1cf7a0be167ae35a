// Errors
export {
  BaseError,
  type BaseErrorJson,
  type BaseErrorParameters,
  type BaseErrorType,
  docsBaseUrl,
} from '../errors/base.js'
export { type ErrorCode, type ErrorStatus, errorCodes, isErrorCode } from '../errors/codes.js'
export { isBaseError } from '../errors/isBaseError.js'
export {
  InvalidAmountError,
  type InvalidAmountErrorParameters,
  type InvalidAmountErrorType,
} from '../errors/money.js'
export {
  InvalidInputError,
  type InvalidInputErrorParameters,
  type InvalidInputErrorType,
  type InvalidInputIssue,
  NotFoundError,
  type NotFoundErrorParameters,
  type NotFoundErrorType,
} from '../errors/request.js'
export {
  InternalError,
  type InternalErrorParameters,
  type InternalErrorType,
  ServiceUnavailableError,
  type ServiceUnavailableErrorParameters,
  type ServiceUnavailableErrorType,
} from '../errors/service.js'
export { version } from '../errors/version.js'

// Money
export {
  type CalculateRequestCostErrorType,
  type CalculateRequestCostParameters,
  type CalculateRequestCostReturnType,
  calculateRequestCost,
} from '../money/calculateRequestCost.js'
export {
  type CalculateTokenCostErrorType,
  type CalculateTokenCostParameters,
  type CalculateTokenCostReturnType,
  calculateTokenCost,
} from '../money/calculateTokenCost.js'
export { type MicroUsd, microUsdPerUsd } from '../money/constants.js'
export {
  type FormatUsdErrorType,
  type FormatUsdParameters,
  type FormatUsdReturnType,
  formatUsd,
} from '../money/formatUsd.js'
export {
  type ParseUsdErrorType,
  type ParseUsdParameters,
  type ParseUsdReturnType,
  parseUsd,
} from '../money/parseUsd.js'
