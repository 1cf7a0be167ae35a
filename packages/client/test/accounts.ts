import { devAccounts } from '@accesspoint/contracts'
import type { LocalAccount } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

/**
 * Dev accounts by purpose. Test files run in parallel against one server, so a test that
 * measures a pass's balance must be the only one spending from it.
 */
export const accounts = {
  /** Pass #1, $50: sign-in, sessions, streams, keys; many files share it. */
  shared: 1,
  /** Pass #2, $5: only `complete.test.ts` spends from it (it checks exact balance changes). */
  metered: 2,
  /** Pass #3, $0.01: too poor for a long prompt (INSUFFICIENT_BALANCE). */
  poor: 3,
  /** No pass, no role. */
  withoutPass: 4,
} as const

/** Dev account `index` as a viem local account whose signatures are counted. */
export function countingAccount(index: number): LocalAccount & { signatures: () => number } {
  const key = devAccounts[index]
  if (!key) throw new Error(`no dev account ${index}`)
  const account = privateKeyToAccount(key.privateKey)
  let count = 0
  return {
    ...account,
    signMessage: (parameters) => {
      count++
      return account.signMessage(parameters)
    },
    signatures: () => count,
  }
}
