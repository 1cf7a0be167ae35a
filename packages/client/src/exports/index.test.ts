import { expect, test } from 'vitest'
import * as entry from './index.js'

test('exports', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "AccessPointError",
      "BaseError",
      "ForbiddenRoleError",
      "InsufficientBalanceError",
      "InvalidApiKeyError",
      "InvalidResponseError",
      "ModelNotFoundError",
      "NetworkError",
      "PaymentFailedError",
      "ProviderUnavailableError",
      "RateLimitedError",
      "SessionExpiredError",
      "SignInRequiredError",
      "SignerRequiredError",
      "UnauthenticatedError",
      "UnsupportedRuntimeError",
      "complete",
      "createAccessPointClient",
      "createApiKey",
      "getBalance",
      "getMe",
      "getModels",
      "getSession",
      "getSessionState",
      "getSpendHistory",
      "getUsage",
      "listApiKeys",
      "localStorageStorage",
      "memoryStorage",
      "revokeApiKey",
      "signIn",
      "signOut",
      "stream",
      "version",
    ]
  `)
})
