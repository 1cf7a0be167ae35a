import { expect, test } from 'vitest'
import * as entry from './query.js'

test('exports', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "apiKeysQueryKey",
      "apiKeysQueryOptions",
      "balanceQueryKey",
      "balanceQueryOptions",
      "completeMutationKey",
      "completeMutationOptions",
      "createApiKeyMutationKey",
      "createApiKeyMutationOptions",
      "meQueryKey",
      "meQueryOptions",
      "modelsQueryKey",
      "modelsQueryOptions",
      "queryScope",
      "revokeApiKeyMutationKey",
      "revokeApiKeyMutationOptions",
      "sessionStateQueryKey",
      "sessionStateQueryOptions",
      "signInMutationKey",
      "signInMutationOptions",
      "signOutMutationKey",
      "signOutMutationOptions",
      "spendHistoryQueryKey",
      "spendHistoryQueryOptions",
      "usageInfiniteQueryOptions",
      "usageQueryKey",
    ]
  `)
})
