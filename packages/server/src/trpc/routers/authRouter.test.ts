import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../../test/createTestServer.js'
import { expectError } from '../../../test/expectError.js'
import { devAccount, signInAs, signMessageFor } from '../../../test/signInAs.js'
import { databaseKinds } from '../../../test/testDatabase.js'

const minute = 60_000
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString()

describe.each(databaseKinds)('sign-in with Ethereum on the %s database', (kind) => {
  let server: TestServer
  beforeAll(async () => {
    server = await createTestServer(kind)
  })
  afterAll(() => server?.close())

  test('account 1 signs in with one signature; access.me shows holder and its $50 pass', async () => {
    const client = server.client()
    const { token, session, roles } = await signInAs(client, devAccount(1))
    expect(token).toMatch(/^ap_sess_[A-Za-z0-9_-]{43}$/)
    expect(roles).toEqual(['holder'])
    expect(session.address).toBe(devAccount(1).address.toLowerCase())
    const me = await server.client(token).access.me.query()
    expect(me.roles).toEqual(['holder'])
    expect(me.passes).toEqual([
      {
        chainId: 31337,
        contract: server.chain.contracts.accessPass,
        tokenId: server.chain.passes[0]?.tokenId,
        creditMicroUsd: 50_000_000n,
      },
    ])
    expect(me.session?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 60 * minute)
    // Later requests need no signature: the token is enough, and the session is readable.
    expect(await server.client(token).auth.session.query()).toMatchObject({
      address: session.address,
      chainId: 31337,
    })
  })

  test('the session lasts until the message expires when that is sooner than the maximum', async () => {
    const client = server.client()
    const { message, signature } = await signMessageFor(client, devAccount(2), {
      expirationTime: iso(10 * minute),
    })
    const { session } = await client.auth.signIn.mutate({ message, signature })
    expect(Math.abs(session.expiresAt.getTime() - (Date.now() + 10 * minute))).toBeLessThan(5_000)
  })

  test('account 4 holds no pass and is refused with FORBIDDEN_ROLE', async () => {
    const client = server.client()
    const { message, signature } = await signMessageFor(client, devAccount(4))
    await expectError(client.auth.signIn.mutate({ message, signature }), 'FORBIDDEN_ROLE', 403)
  })

  test('a nonce works once: a replay is refused', async () => {
    const client = server.client()
    const signed = await signMessageFor(client, devAccount(1))
    await client.auth.signIn.mutate(signed)
    await expectError(client.auth.signIn.mutate(signed), 'SIWE_NONCE_INVALID', 401)
  })

  test('concurrent sign-ins with one nonce: exactly one wins', async () => {
    const client = server.client()
    const signed = await signMessageFor(client, devAccount(1))
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => client.auth.signIn.mutate(signed)),
    )
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
  })

  test('a nonce the server never issued is refused', async () => {
    const client = server.client()
    const account = devAccount(1)
    const signed = await signMessageFor(client, account, { nonce: 'abcdef0123456789' })
    await expectError(client.auth.signIn.mutate(signed), 'SIWE_NONCE_INVALID', 401)
  })

  test('a failed attempt does not burn the nonce', async () => {
    const client = server.client()
    const account = devAccount(1)
    const signed = await signMessageFor(client, account)
    const forged = await devAccount(2).signMessage({ message: signed.message })
    await expectError(
      client.auth.signIn.mutate({ message: signed.message, signature: forged }),
      'INVALID_SIGNATURE',
      401,
    )
    await client.auth.signIn.mutate(signed)
  })

  test.each([
    ['another domain', { domain: 'evil.example.com' }, 'SIWE_DOMAIN_MISMATCH', 401],
    ['another URI', { uri: 'https://evil.example.com/login' }, 'SIWE_DOMAIN_MISMATCH', 401],
    ['another chain', { chainId: 1 }, 'SIWE_CHAIN_UNSUPPORTED', 400],
    ['an expired message', { expirationTime: iso(-minute) }, 'SIWE_EXPIRED', 401],
    ['a message issued too long ago', { issuedAt: iso(-60 * minute) }, 'SIWE_EXPIRED', 401],
    ['a message not valid yet', { notBefore: iso(10 * minute) }, 'SIWE_NOT_YET_VALID', 401],
    ['a message issued in the future', { issuedAt: iso(10 * minute) }, 'SIWE_NOT_YET_VALID', 401],
  ] as const)('%s is refused', async (_name, overrides, code, status) => {
    const client = server.client()
    const signed = await signMessageFor(client, devAccount(1), overrides)
    await expectError(client.auth.signIn.mutate(signed), code, status)
  })

  test('a tampered statement breaks the signature', async () => {
    const client = server.client()
    const signed = await signMessageFor(client, devAccount(1))
    const message = signed.message.replace('Sign in to AccessPoint.', 'Sign in to AccessPoint!')
    await expectError(
      client.auth.signIn.mutate({ message, signature: signed.signature }),
      'INVALID_SIGNATURE',
      401,
    )
  })

  test('a lower-case (non EIP-55) address is not a valid message', async () => {
    const client = server.client()
    const account = devAccount(1)
    const signed = await signMessageFor(client, account)
    const message = signed.message.replace(account.address, account.address.toLowerCase())
    const signature = await account.signMessage({ message })
    await expectError(
      client.auth.signIn.mutate({ message, signature }),
      'SIWE_INVALID_MESSAGE',
      400,
    )
  })

  test("another account's signature is refused", async () => {
    const client = server.client()
    const signed = await signMessageFor(client, devAccount(1))
    const signature = await devAccount(3).signMessage({ message: signed.message })
    await expectError(
      client.auth.signIn.mutate({ message: signed.message, signature }),
      'INVALID_SIGNATURE',
      401,
    )
  })

  test('an oversized message is refused before it is parsed', async () => {
    const client = server.client()
    const signed = await signMessageFor(client, devAccount(1))
    const message = `${signed.message}\nResources:\n${'- https://example.com/x\n'.repeat(400)}`
    const error = await expectError(
      client.auth.signIn.mutate({ message, signature: signed.signature }),
      'SIWE_INVALID_MESSAGE',
      400,
    )
    expect(JSON.stringify(error.data)).toContain('8192')
  })

  test.each([
    [
      'garbage instead of a message',
      { message: 'hello', signature: '0x1234' },
      'SIWE_INVALID_MESSAGE',
    ],
    ['a signature that is not hex', { message: 'hello', signature: 'zz' }, 'INVALID_INPUT'],
    ['a huge body', { message: 'x'.repeat(70_000), signature: '0x00' }, 'INVALID_INPUT'],
    ['no input at all', undefined, 'INVALID_INPUT'],
  ] as const)('%s is a clear 400', async (_name, input, code) => {
    const client = server.client()
    // @ts-expect-error: deliberately wrong input
    await expectError(client.auth.signIn.mutate(input), code, 400)
  })

  test('a garbage signature of the right shape is INVALID_SIGNATURE, not a crash', async () => {
    const client = server.client()
    const signed = await signMessageFor(client, devAccount(1))
    await expectError(
      client.auth.signIn.mutate({ message: signed.message, signature: `0x${'ab'.repeat(65)}` }),
      'INVALID_SIGNATURE',
      401,
    )
  })

  test('sign out ends the session at once', async () => {
    const { token } = await signInAs(server.client(), devAccount(1))
    const client = server.client(token)
    await client.access.me.query()
    await client.auth.signOut.mutate()
    await expectError(client.access.me.query(), 'SESSION_EXPIRED', 401)
  })

  test.each([
    ['no credentials', undefined, 'UNAUTHENTICATED'],
    ['an unknown session token', `ap_sess_${'A'.repeat(43)}`, 'UNAUTHENTICATED'],
    ['a malformed API key', 'ap_live_short', 'INVALID_API_KEY'],
    ['an unknown API key', `ap_live_${'B'.repeat(43)}`, 'INVALID_API_KEY'],
    ['a token that is not ours', 'eyJhbGciOiJIUzI1NiJ9.e30.x', 'UNAUTHENTICATED'],
  ] as const)('%s is refused with a 401', async (_name, token, code) => {
    await expectError(server.client(token).access.me.query(), code, 401)
  })
})
