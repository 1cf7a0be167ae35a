import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../../test/createTestServer.js'
import { expectError } from '../../../test/expectError.js'
import { devAccount, signInAs } from '../../../test/signInAs.js'
import { databaseKinds } from '../../../test/testDatabase.js'

describe.each(databaseKinds)('API keys on the %s database', (kind) => {
  let server: TestServer
  let session: string
  beforeAll(async () => {
    server = await createTestServer(kind)
    session = (await signInAs(server.client(), devAccount(1))).token
  })
  afterAll(() => server?.close())

  test('create returns the secret once; only a hash is stored; the key authenticates', async () => {
    const owner = server.client(session)
    const { secret, key } = await owner.keys.create.mutate({ name: 'trading bot' })
    expect(secret).toMatch(/^ap_live_[A-Za-z0-9_-]{43}$/)
    expect(key).toMatchObject({
      name: 'trading bot',
      prefix: secret.slice(0, 16),
      scopes: ['ai', 'read'],
      pass: { chainId: 31337, tokenId: server.chain.passes[0]?.tokenId },
      revokedAt: null,
      expiresAt: null,
    })
    const rows = await server.accessPoint.database.prisma.apiKey.findMany({ where: { id: key.id } })
    expect(JSON.stringify(rows)).not.toContain(secret)
    expect(rows[0]?.keyHash).toMatch(/^[0-9a-f]{64}$/)

    const me = await server.client(secret).access.me.query()
    expect(me).toMatchObject({ roles: ['holder'], session: null, apiKey: { id: key.id } })
    const listed = await owner.keys.list.query()
    expect(listed.map((item) => item.id)).toContain(key.id)
    expect(
      JSON.stringify(listed, (_key, value) => (typeof value === 'bigint' ? `${value}` : value)),
    ).not.toContain(secret)
  })

  test('a revoked key stops working at once', async () => {
    const owner = server.client(session)
    const { secret, key } = await owner.keys.create.mutate({ name: 'short-lived' })
    await server.client(secret).access.me.query()
    const revoked = await owner.keys.revoke.mutate({ id: key.id })
    expect(revoked.revokedAt).toBeInstanceOf(Date)
    await expectError(server.client(secret).access.me.query(), 'INVALID_API_KEY', 401)
  })

  test('a key cannot manage keys: that needs a wallet session', async () => {
    const { secret } = await server.client(session).keys.create.mutate({ name: 'bot' })
    await expectError(server.client(secret).keys.list.query(), 'UNAUTHENTICATED', 401)
    await expectError(
      server.client(secret).keys.create.mutate({ name: 'another' }),
      'UNAUTHENTICATED',
      401,
    )
  })

  test('a key without the read scope cannot read access.me', async () => {
    const { secret } = await server.client(session).keys.create.mutate({
      name: 'ai only',
      scopes: ['ai'],
    })
    await expectError(server.client(secret).access.me.query(), 'FORBIDDEN_ROLE', 403)
  })

  test("another wallet's key cannot be revoked or even seen", async () => {
    const { key } = await server.client(session).keys.create.mutate({ name: 'mine' })
    const other = (await signInAs(server.client(), devAccount(2))).token
    await expectError(server.client(other).keys.revoke.mutate({ id: key.id }), 'NOT_FOUND', 404)
    expect((await server.client(other).keys.list.query()).map((item) => item.id)).not.toContain(
      key.id,
    )
  })

  test.each([
    ['an empty name', { name: ' ' }],
    ['a pass the wallet does not hold', { name: 'x', passTokenId: 999n }],
    ['an unknown scope', { name: 'x', scopes: ['admin'] }],
    ['a negative expiry', { name: 'x', expiresInDays: -1 }],
  ] as const)('%s is a clear 400', async (_name, input) => {
    // @ts-expect-error: deliberately wrong input
    await expectError(server.client(session).keys.create.mutate(input), 'INVALID_INPUT', 400)
  })

  test('a key with an expiry carries it', async () => {
    const { key } = await server.client(session).keys.create.mutate({
      name: 'week',
      expiresInDays: 7,
    })
    expect(key.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000)
  })
})
