import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client'
import superjson from 'superjson'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createEmptyPostgresDatabase, migrationsDir } from '../test/testDatabase.js'
import { type AccessPoint, createAccessPoint } from './createAccessPoint.js'
import type { AppRouter } from './trpc/appRouter.js'

const siwe = { domain: 'app.example.com', uri: 'https://app.example.com', chainIds: [31337, 8453] }

async function listen(accessPoint: AccessPoint): Promise<string> {
  return accessPoint.app.listen({ host: '127.0.0.1', port: 0 })
}

describe('on the embedded database', () => {
  let accessPoint: AccessPoint
  let url: string
  beforeAll(async () => {
    accessPoint = await createAccessPoint({
      database: { kind: 'embedded' },
      migrations: { dir: migrationsDir, applyOnStart: false },
      siwe,
    })
    url = await listen(accessPoint)
  })
  afterAll(() => accessPoint.close())

  test('is live and, with migrations applied at start, ready', async () => {
    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    const ready = await fetch(`${url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok' },
    })
  })

  test('serves the discovery document', async () => {
    const response = await fetch(`${url}/.well-known/accesspoint`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      service: 'accesspoint',
      name: 'AccessPoint',
      version: '0.1.0',
      siwe: {
        domain: 'app.example.com',
        uri: 'https://app.example.com',
        domains: ['app.example.com'],
        uris: ['https://app.example.com'],
        chainIds: [31337, 8453],
      },
      chains: [
        { chainId: 31337, passContracts: [] },
        { chainId: 8453, passContracts: [] },
      ],
      api: { trpc: '/trpc', health: '/healthz', ready: '/readyz' },
    })
  })

  test('honours a sane X-Request-Id and replaces an unsafe one', async () => {
    const kept = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'bot-42:req-7' } })
    expect(kept.headers.get('x-request-id')).toBe('bot-42:req-7')
    const replaced = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'a b\tc' } })
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const fresh = await fetch(`${url}/healthz`)
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('answers tRPC calls with superjson (dates and bigints survive)', async () => {
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${url}/trpc`, transformer: superjson })],
    })
    const before = Date.now()
    const { now } = await client.service.time.query()
    expect(now).toBeInstanceOf(Date)
    expect(now.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect((await client.service.discovery.query()).siwe.chainIds).toEqual([31337, 8453])
  })

  test('an unknown tRPC procedure is a 404 with our stable code', async () => {
    const response = await fetch(`${url}/trpc/service.nope`)
    expect(response.status).toBe(404)
    const body = (await response.json()) as {
      error: { json: { data: { accessPointCode: string } } }
    }
    expect(body.error.json.data.accessPointCode).toBe('NOT_FOUND')

    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${url}/trpc`, transformer: superjson })],
    })
    // @ts-expect-error: calling a procedure the router does not have
    const error = await client.service.nope.query().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TRPCClientError)
  })

  test('unknown routes, malformed JSON and unsupported bodies get coded errors, never a 500', async () => {
    const missing = await fetch(`${url}/nope?x=1`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({
      error: { code: 'NOT_FOUND', message: 'No route for GET /nope.' },
    })

    const malformed = await fetch(`${url}/trpc/service.time`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(malformed.status).toBeGreaterThanOrEqual(400)
    expect(malformed.status).toBeLessThan(500)

    const wrongMethod = await fetch(`${url}/healthz`, { method: 'DELETE' })
    expect(wrongMethod.status).toBe(404)
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })
})

describe('on PostgreSQL', () => {
  let pg: Awaited<ReturnType<typeof createEmptyPostgresDatabase>>
  beforeAll(async () => {
    pg = await createEmptyPostgresDatabase()
  })
  afterAll(() => pg.drop())

  test('is not ready until migrations are applied, then ready; not ready once the database is gone', async () => {
    const unmigrated = await createAccessPoint({
      database: { kind: 'postgres', url: pg.url },
      migrations: { dir: migrationsDir, applyOnStart: false },
      siwe,
    })
    let url = await listen(unmigrated)
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    const pending = await fetch(`${url}/readyz`)
    expect(pending.status).toBe(503)
    expect(await pending.json()).toMatchObject({
      status: 'unavailable',
      checks: { database: 'ok', migrations: 'pending' },
      error: { code: 'SERVICE_UNAVAILABLE' },
    })
    await unmigrated.close()

    const migrated = await createAccessPoint({
      database: { kind: 'postgres', url: pg.url },
      migrations: { dir: migrationsDir, applyOnStart: true },
      siwe,
    })
    url = await listen(migrated)
    expect((await fetch(`${url}/readyz`)).status).toBe(200)

    await pg.drop()
    const down = await fetch(`${url}/readyz`)
    expect(down.status).toBe(503)
    expect(await down.json()).toMatchObject({ checks: { database: 'error' } })
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    await migrated.close()
  })
})
