import { accessPassAbi } from '@accesspoint/contracts'
import { deploySmartWalletFactory, smartWalletFactoryAbi } from '@accesspoint/contracts/testing'
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  serializeErc6492Signature,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../../test/createTestServer.js'
import { expectError } from '../../../test/expectError.js'
import { devAccount, signInAs, signMessageFor } from '../../../test/signInAs.js'
import { databaseKinds } from '../../../test/testDatabase.js'

describe.each(databaseKinds)('roles and access on the %s database', (kind) => {
  let server: TestServer
  beforeAll(async () => {
    server = await createTestServer(kind, { adminAddresses: [devAccount(5).address] })
  })
  afterAll(() => server?.close())

  function walletOf(index: number) {
    return createWalletClient({
      account: devAccount(index),
      transport: http(server.chain.rpcUrl),
      chain: server.chain.chain,
    })
  }
  const publicClient = () => createPublicClient({ transport: http(server.chain.rpcUrl) })

  test('the AccessPass admin (account 0) and an allow-listed wallet are admins', async () => {
    const admin = (await signInAs(server.client(), devAccount(0))).token
    expect((await server.client(admin).access.me.query()).roles).toEqual(['admin'])
    const listed = (await signInAs(server.client(), devAccount(5))).token
    expect((await server.client(listed).access.me.query()).roles).toEqual(['admin'])
  })

  test('admin procedures need the admin role', async () => {
    const holder = (await signInAs(server.client(), devAccount(2))).token
    const error = await expectError(
      server.client(holder).admin.revokeWalletSessions.mutate({ address: devAccount(3).address }),
      'FORBIDDEN_ROLE',
      403,
    )
    expect(error.message).toContain('admin')
  })

  test('an admin revokes a wallet’s sessions; they stop working at once', async () => {
    const victim = (await signInAs(server.client(), devAccount(3))).token
    await server.client(victim).access.me.query()
    const admin = (await signInAs(server.client(), devAccount(0))).token
    const { revoked } = await server
      .client(admin)
      .admin.revokeWalletSessions.mutate({ address: devAccount(3).address })
    expect(revoked).toBeGreaterThanOrEqual(1)
    await expectError(server.client(victim).access.me.query(), 'SESSION_EXPIRED', 401)
  })

  test('an undeployed EIP-6492 smart wallet holding a pass signs in', async () => {
    const owner = devAccount(6)
    const { address: factory } = await deploySmartWalletFactory({
      walletClient: walletOf(6),
      publicClient: publicClient(),
    })
    const salt = `0x${'07'.padStart(64, '0')}` as Hex
    const wallet = await publicClient().readContract({
      address: factory,
      abi: smartWalletFactoryAbi,
      functionName: 'getAddress',
      args: [owner.address, salt],
    })
    const mint = await walletOf(0).writeContract({
      address: server.chain.contracts.accessPass,
      abi: accessPassAbi,
      functionName: 'mint',
      args: [wallet],
    })
    await publicClient().waitForTransactionReceipt({ hash: mint })

    const client = server.client()
    // The wallet's address is in the message; its owner's key signs for it.
    const smartAccount = { ...owner, address: wallet }
    const { message } = await signMessageFor(client, smartAccount)
    const signature = serializeErc6492Signature({
      address: factory,
      data: encodeFunctionData({
        abi: smartWalletFactoryAbi,
        functionName: 'deploy',
        args: [owner.address, salt],
      }),
      signature: await owner.signMessage({ message }),
    })
    const { roles, session } = await client.auth.signIn.mutate({ message, signature })
    expect(roles).toEqual(['holder'])
    expect(session.address).toBe(wallet.toLowerCase())
  })

  test('selling the pass ends access for the seller within a block; the buyer gains it', async () => {
    const seller = devAccount(1)
    const buyer = devAccount(4)
    const { token } = await signInAs(server.client(), seller)
    const client = server.client(token)
    const [pass] = (await client.access.me.query()).passes
    if (!pass) throw new Error('account 1 should hold a pass')

    const hash = await walletOf(1).writeContract({
      address: server.chain.contracts.accessPass,
      abi: accessPassAbi,
      functionName: 'transferFrom',
      args: [seller.address, buyer.address, pass.tokenId],
    })
    const receipt = await publicClient().waitForTransactionReceipt({ hash })

    // The watcher polls every 100 ms here: the next request after it has seen the block fails.
    await expect
      .poll(
        async () =>
          client.access.me.query().then(
            () => 'allowed',
            (error: { data?: { accessPointCode?: string } }) => error.data?.accessPointCode,
          ),
        { timeout: 5_000, interval: 100 },
      )
      .toBe('FORBIDDEN_ROLE')
    const blocksLater = (await publicClient().getBlockNumber()) - receipt.blockNumber
    expect(blocksLater).toBeLessThanOrEqual(1n)

    const buyerToken = (await signInAs(server.client(), buyer)).token
    const me = await server.client(buyerToken).access.me.query()
    expect(me.roles).toEqual(['holder'])
    expect(me.passes.map((held) => held.tokenId)).toEqual([pass.tokenId])
  })
})

describe('sign-in options', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await createTestServer('embedded', {
      siwe: {
        domain: ['app.example.com', 'www.example.com'],
        uri: ['https://app.example.com', 'https://www.example.com'],
        chainIds: [31337],
        rateLimits: {
          perIp: { points: 1_000, windowSeconds: 60 },
          perAddress: { points: 3, windowSeconds: 60 },
        },
      },
    })
  })
  afterAll(() => server?.close())

  test('every configured domain and origin is accepted; the first is the one announced', async () => {
    const client = server.client()
    const nonce = await client.auth.nonce.mutate()
    expect(nonce).toMatchObject({
      domain: 'app.example.com',
      uri: 'https://app.example.com',
      domains: ['app.example.com', 'www.example.com'],
    })
    const signed = await signMessageFor(client, devAccount(1), {
      domain: 'www.example.com',
      uri: 'https://www.example.com/login',
    })
    expect((await client.auth.signIn.mutate(signed)).roles).toEqual(['holder'])
    const other = await signMessageFor(client, devAccount(1), {
      domain: 'www.example.com',
      uri: 'https://evil.example.com',
    })
    await expectError(client.auth.signIn.mutate(other), 'SIWE_DOMAIN_MISMATCH', 401)
  })

  test('attempts for one wallet are limited, with Retry-After; other wallets are not', async () => {
    const client = server.client()
    for (let attempt = 0; attempt < 3; attempt++) await signInAs(client, devAccount(2))
    const signed = await signMessageFor(client, devAccount(2))
    await expectError(client.auth.signIn.mutate(signed), 'RATE_LIMITED', 429)
    const response = await fetch(`${server.url}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: signed }),
    })
    expect(response.status).toBe(429)
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
    await signInAs(client, devAccount(3))
  })
})

describe('several server instances on one PostgreSQL database', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await createTestServer('postgres')
  })
  afterAll(() => server?.close())

  test('a nonce issued by one instance is accepted by another, once', async () => {
    const other = await server.secondInstance()
    const signed = await signMessageFor(server.client(), devAccount(1))
    const { token } = await other.client().auth.signIn.mutate(signed)
    await expectError(server.client().auth.signIn.mutate(signed), 'SIWE_NONCE_INVALID', 401)
    // The session opened on one instance works on the other.
    expect((await server.client(token).access.me.query()).roles).toEqual(['holder'])
  })

  test('sign-out on one instance is honoured by the other', async () => {
    const other = await server.secondInstance()
    const { token } = await signInAs(server.client(), devAccount(2))
    await other.client(token).access.me.query()
    await server.client(token).auth.signOut.mutate()
    // Without Redis the other instance re-reads sessions after its cache TTL (30 s); a fresh
    // instance reads the database at once.
    const fresh = await server.secondInstance()
    await expectError(fresh.client(token).access.me.query(), 'SESSION_EXPIRED', 401)
  })
})
