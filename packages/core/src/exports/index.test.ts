import { expect, test } from 'vitest'
import * as core from './index.js'

test('exports', () => {
  expect(Object.keys(core).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "InternalError",
      "InvalidAmountError",
      "InvalidInputError",
      "NotFoundError",
      "ServiceUnavailableError",
      "calculateRequestCost",
      "calculateTokenCost",
      "docsBaseUrl",
      "errorCodes",
      "formatUsd",
      "isBaseError",
      "isErrorCode",
      "microUsdPerUsd",
      "parseUsd",
      "version",
    ]
  `)
})
