import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { createTcpProxy, type TcpProxy, throughProxy } from '../../test/createTcpProxy.js'
import { createEmptyPostgresDatabase, migrationsDir } from '../../test/testDatabase.js'
import { createDatabase, type Database } from '../db/createDatabase.js'
import { applyMigrations } from '../db/migrations/applyMigrations.js'
import { createGeneration, type Generation } from './createGeneration.js'
import { createGenerationRegistry } from './createGenerationRegistry.js'
import { runIdempotent } from './runIdempotent.js'

// The answer of an Idempotency-Key request is stored after it is sent, in the background. The
// database dropping at that moment used to be an unhandled rejection: in the server process,
// close-with-grace treats one as fatal and shuts the instance down.

const wallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
let proxy: TcpProxy
let postgres: Awaited<ReturnType<typeof createEmptyPostgresDatabase>>
let database: Database
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)

beforeAll(async () => {
  postgres = await createEmptyPostgresDatabase()
  const target = new URL(postgres.url)
  proxy = await createTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
  database = await createDatabase({
    kind: 'postgres',
    url: throughProxy(postgres.url, proxy),
    pool: { max: 2, connectionTimeoutMs: 2_000 },
  })
  await applyMigrations({ database, migrationsDir })
  process.on('unhandledRejection', onUnhandled)
})
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled)
  proxy?.up()
  await database?.close()
  await proxy?.close()
  await postgres?.drop()
})

test('the answer is stored once the database is back, and nothing is left unhandled', async () => {
  const generations = createGenerationRegistry()
  let finishProvider!: () => void
  const providerDone = new Promise<void>((resolve) => {
    finishProvider = resolve
  })
  const run = async (requestId: string): Promise<Generation> => {
    const generation = createGeneration({
      requestId,
      events: (async function* () {
        yield { type: 'delta' as const, text: 'Filled.' }
        await providerDone
        yield {
          type: 'done' as const,
          usage: { inputTokens: 4, cachedInputTokens: 0, outputTokens: 2 },
          finishReason: 'stop' as const,
        }
      })(),
      finish: async (done) => ({
        type: 'done',
        requestId,
        model: 'dev-mini',
        finishReason: done.finishReason,
        usage: done.usage,
        costMicroUsd: 7n,
      }),
      fail: async (error) => error,
    })
    generations.add(generation, wallet)
    return generation
  }
  const request = {
    services: { database, generations },
    walletAddress: wallet,
    idempotencyKey: 'order-42',
    fingerprintOf: { model: 'dev-mini', prompt: 'fill?' },
    run,
  }
  const first = await runIdempotent(request)
  if (!first.generation) throw new Error('the first attempt runs')

  proxy.down()
  finishProvider()
  await first.generation.finished
  // The store failed while the database was down: retried on a new connection, or (the bug)
  // thrown away as an unhandled rejection.
  await vi.waitFor(() => expect(proxy.refused() + unhandled.length).toBeGreaterThan(0), {
    timeout: 10_000,
  })
  expect(unhandled).toEqual([])
  proxy.up()

  // ...and lands once it is back.
  const key = `${wallet}:order-42`
  await vi.waitFor(
    async () => {
      const record = await database.prisma.idempotencyRecord.findUniqueOrThrow({ where: { key } })
      expect(record.completedAt).not.toBeNull()
      expect(record.response).toMatchObject({
        requestId: first.generation?.requestId,
        text: 'Filled.',
        costMicroUsd: '7',
      })
    },
    { timeout: 20_000, interval: 100 },
  )
  expect(unhandled).toEqual([])

  // A retry from another process (no generation here) gets the stored answer, not a new run.
  const retry = await runIdempotent({
    ...request,
    services: { database, generations: createGenerationRegistry() },
    run: () => Promise.reject(new Error('a retry must not run again')),
  })
  expect(retry.result).toMatchObject({ requestId: first.generation.requestId, costMicroUsd: 7n })
})
