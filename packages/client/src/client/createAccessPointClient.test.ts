import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { devAccounts } from '@accesspoint/contracts'
import { createWalletClient, http } from 'viem'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { accounts, countingAccount } from '../../test/accounts.js'
import { SignerRequiredError, SignInRequiredError } from '../errors/client.js'
import { AccessPointError, ForbiddenRoleError, InvalidApiKeyError } from '../errors/server.js'
import { fileStorage } from '../storage/fileStorage.js'
import { memoryStorage } from '../storage/memoryStorage.js'
import { createAccessPointClient } from './createAccessPointClient.js'

const url = inject('serverUrl')
const prompt = {
  model: 'dev-mini',
  messages: [{ role: 'user' as const, content: 'hello' }],
  maxTokens: 4,
}

let folder: string
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ap-client-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('a bot with a private key', () => {
  test('signs exactly once for many concurrent calls', async () => {
    const account = countingAccount(accounts.shared)
    const client = createAccessPointClient({ url, account })
    const calls = Array.from({ length: 40 }, (_, i) =>
      [client.me, client.models, client.balance, () => client.usage({ limit: 1 }), client.session][
        i % 5
      ]?.(),
    )
    await Promise.all(calls)
    expect(account.signatures()).toBe(1)
  })

  test('a restarted bot reuses its session from a file: no new signature', async () => {
    const path = join(folder, 'restart', 'sessions.json')
    const first = countingAccount(accounts.shared)
    const before = await createAccessPointClient({
      url,
      account: first,
      storage: fileStorage(path),
    }).me()
    expect(first.signatures()).toBe(1)

    const second = countingAccount(accounts.shared)
    const after = await createAccessPointClient({
      url,
      account: second,
      storage: fileStorage(path),
    }).me()
    expect(second.signatures()).toBe(0)
    expect(after.session?.id).toBe(before.session?.id)
  })

  test('signs in again, once, when the server ended the session', async () => {
    const storage = memoryStorage()
    const account = countingAccount(accounts.shared)
    const client = createAccessPointClient({ url, account, storage })
    const { id } = await client.signIn()

    // Another process with the same storage signs the session out on the server.
    const other = createAccessPointClient({
      url,
      account: countingAccount(accounts.shared),
      storage,
    })
    expect(await other.signOut()).toEqual({ signedOut: true })

    const me = await client.me()
    expect(me.session?.id).not.toBe(id)
    expect(account.signatures()).toBe(2)
  })

  test('two wallets sharing one storage keep their own sessions', async () => {
    const storage = memoryStorage()
    const one = createAccessPointClient({ url, account: countingAccount(accounts.shared), storage })
    const two = createAccessPointClient({
      url,
      account: countingAccount(accounts.metered),
      storage,
    })
    const [a, b] = await Promise.all([one.me(), two.me()])
    expect(a.address).not.toBe(b.address)
    expect(a.session?.id).not.toBe(b.session?.id)
  })
})

describe('a dapp with autoSignIn: false (the wallet never asks unprompted)', () => {
  test('calls without a kept session fail with SignInRequiredError until signIn()', async () => {
    const account = countingAccount(accounts.shared)
    const client = createAccessPointClient({ url, account, autoSignIn: false })
    await expect(client.me()).rejects.toBeInstanceOf(SignInRequiredError)
    await expect(client.complete(prompt)).rejects.toMatchObject({ code: 'SIGN_IN_REQUIRED' })
    const stream = client.stream(prompt)
    await expect(stream.result).rejects.toBeInstanceOf(SignInRequiredError)
    expect(account.signatures()).toBe(0)

    await client.signIn()
    expect((await client.me()).roles).toContain('holder')
    expect(account.signatures()).toBe(1)
  })

  test('a session the server ended is forgotten and reported, not silently re-signed', async () => {
    const storage = memoryStorage()
    const account = countingAccount(accounts.shared)
    const client = createAccessPointClient({ url, account, storage, autoSignIn: false })
    await client.signIn()
    await createAccessPointClient({
      url,
      account: countingAccount(accounts.shared),
      storage,
    }).signOut()

    const error = await client.me().catch((error: unknown) => error)
    expect(error).toBeInstanceOf(AccessPointError)
    expect((error as AccessPointError).code).toMatch(/^(SESSION_EXPIRED|UNAUTHENTICATED)$/)
    // Forgotten: the next call asks the app to sign in instead of reusing the dead token.
    await expect(client.me()).rejects.toBeInstanceOf(SignInRequiredError)
    expect(account.signatures()).toBe(1)
  })
})

test('a dapp wallet (EIP-1193): the wallet signs, on the chain the server accepts', async () => {
  const address = devAccounts[accounts.shared].address
  // A JSON-RPC account: viem sends personal_sign to the node (anvil's accounts are unlocked),
  // as it would to MetaMask.
  const walletClient = createWalletClient({ account: address, transport: http(inject('rpcUrl')) })
  const client = createAccessPointClient({ url, walletClient })
  expect(client.address).toBe(address)
  const session = await client.signIn()
  expect(session).toMatchObject({ address: address.toLowerCase(), chainId: 31337 })
  expect((await client.me()).roles).toContain('holder')
})

test('an API key: no signature at all', async () => {
  const account = countingAccount(accounts.shared)
  const owner = createAccessPointClient({ url, account })
  const { secret } = await owner.keys.create({ name: 'bot key' })
  expect(account.signatures()).toBe(1)

  const bot = createAccessPointClient({ url, apiKey: secret })
  expect(bot.apiKeyPrefix).toBe(secret.slice(0, 16))
  const me = await bot.me()
  expect(me.apiKey?.scopes).toEqual(expect.arrayContaining(['ai', 'read']))
  expect(me.session).toBeNull()
  const result = await bot.complete(prompt)
  expect(result.costMicroUsd).toBeGreaterThan(0n)
  const streamed = await bot.stream(prompt).result
  expect(streamed.text).toBe(result.text)

  // Keys cannot manage keys: that takes a wallet.
  await expect(bot.keys.list()).rejects.toBeInstanceOf(SignerRequiredError)
  expect(account.signatures()).toBe(1)
})

test('a revoked API key fails with InvalidApiKeyError, not a sign-in', async () => {
  const owner = createAccessPointClient({ url, account: countingAccount(accounts.shared) })
  const { secret, key } = await owner.keys.create({ name: 'short-lived' })
  await owner.keys.revoke({ id: key.id })
  await expect(createAccessPointClient({ url, apiKey: secret }).me()).rejects.toBeInstanceOf(
    InvalidApiKeyError,
  )
})

test('without a signer or key, calls fail before any request', async () => {
  const client = createAccessPointClient({ url })
  await expect(client.me()).rejects.toBeInstanceOf(SignerRequiredError)
  await expect(client.signIn()).rejects.toMatchObject({ code: 'SIGNER_REQUIRED' })
  expect(await client.signOut()).toEqual({ signedOut: false })
})

test('a wallet without a role cannot sign in: ForbiddenRoleError', async () => {
  const client = createAccessPointClient({ url, account: countingAccount(accounts.withoutPass) })
  const error = await client.me().catch((error: unknown) => error)
  expect(error).toBeInstanceOf(ForbiddenRoleError)
  expect(error).toMatchObject({ code: 'FORBIDDEN_ROLE', status: 403 })
})

test('the URL may end with a slash', async () => {
  const client = createAccessPointClient({ url: `${url}/`, apiKey: 'ap_live_unknown' })
  expect(client.url).toBe(url)
  await expect(client.me()).rejects.toBeInstanceOf(InvalidApiKeyError)
})
