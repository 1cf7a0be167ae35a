import { expect, test } from 'vitest'
import * as core from './index.js'

test('exports', () => {
  expect(Object.keys(core).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "InternalError",
      "InvalidAmountError",
      "InvalidInputError",
      "InvalidSiweMessageError",
      "NotFoundError",
      "ServiceUnavailableError",
      "SiweChainUnsupportedError",
      "SiweDomainMismatchError",
      "SiweExpiredError",
      "SiweNonceInvalidError",
      "SiweNotYetValidError",
      "calculateRequestCost",
      "calculateTokenCost",
      "createSiweMessage",
      "docsBaseUrl",
      "errorCodes",
      "formatUsd",
      "generateSiweNonce",
      "isBaseError",
      "isErrorCode",
      "microUsdPerUsd",
      "parseSiweMessage",
      "parseUsd",
      "siweMessageMaxLength",
      "validateSiweMessage",
      "version",
    ]
  `)
})
