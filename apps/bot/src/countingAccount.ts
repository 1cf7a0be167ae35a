import type { LocalAccount } from 'viem'

export type CountingAccount = LocalAccount & { readonly signatures: number }

/** The account, counting the messages it signs: a bot should sign in once, then never again. */
export function countingAccount(account: LocalAccount): CountingAccount {
  let signatures = 0
  return {
    ...account,
    get signatures() {
      return signatures
    },
    async signMessage(parameters) {
      signatures++
      return account.signMessage(parameters)
    },
  }
}
