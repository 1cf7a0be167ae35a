import { devAccounts } from '@accesspoint/contracts'
import { createSiweMessage, type SiweMessage } from '@accesspoint/core/siwe'
import type { TRPCClient } from '@trpc/client'
import type { Hex } from 'viem'
import { type LocalAccount, privateKeyToAccount } from 'viem/accounts'
import type { AppRouter } from '../src/trpc/appRouter.js'
import { testSiwe } from './createTestServer.js'

/** Anvil dev account `index` as a viem local account. */
export function devAccount(index: number): LocalAccount {
  const account = devAccounts[index]
  if (!account) throw new Error(`no dev account ${index}`)
  return privateKeyToAccount(account.privateKey)
}

export type SignedMessage = { message: string; signature: Hex; fields: SiweMessage }

/** A fresh nonce from the server, in a message signed by `account` (fields can be overridden). */
export async function signMessageFor(
  client: TRPCClient<AppRouter>,
  account: LocalAccount,
  overrides: Partial<SiweMessage> = {},
): Promise<SignedMessage> {
  const { nonce } = await client.auth.nonce.mutate()
  const fields: SiweMessage = {
    domain: testSiwe.domain,
    address: account.address,
    statement: 'Sign in to AccessPoint.',
    uri: testSiwe.uri,
    version: '1',
    chainId: 31337,
    nonce,
    issuedAt: new Date().toISOString(),
    ...overrides,
  }
  const message = createSiweMessage(fields)
  return { message, signature: await account.signMessage({ message }), fields }
}

/** Signs in as `account` and returns the session token. */
export async function signInAs(client: TRPCClient<AppRouter>, account: LocalAccount) {
  const { message, signature } = await signMessageFor(client, account)
  return client.auth.signIn.mutate({ message, signature })
}
