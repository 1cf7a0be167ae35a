import { devAccounts } from '@accesspoint/contracts'
import type { Address } from 'viem'

export type DevAccountOption = {
  /** Index in `devAccounts`: the n of `dev-account-{n}` and of "Dev account n". */
  index: number
  address: Address
  /** What it holds on a fresh dev chain (see startDevChain). */
  label: string
  /** Whether it can use AI requests (holds a funded pass). */
  hasPass: boolean
}

const labels: Record<number, { label: string; hasPass: boolean }> = {
  0: { label: 'Admin · no pass', hasPass: false },
  1: { label: 'Pass #1 · $50 credit', hasPass: true },
  2: { label: 'Pass #2 · $5 credit', hasPass: true },
  3: { label: 'Pass #3 · $0.01 credit', hasPass: true },
  4: { label: 'No pass · has USDC', hasPass: false },
  9: { label: 'Treasury · no pass', hasPass: false },
}

/** Anvil's ten accounts, labelled by what they hold on the dev chain `pnpm dev` starts. */
export const devAccountOptions: readonly DevAccountOption[] = devAccounts.map((account, index) => ({
  index,
  address: account.address,
  ...(labels[index] ?? { label: 'No pass', hasPass: false }),
}))
