import { afterAll, beforeAll, expect, test } from 'vitest'
import { createEmptyPostgresDatabase, migrationsDir } from '../../test/testDatabase.js'
import { type AccessPointConfig, createAccessPoint } from '../createAccessPoint.js'

// A crash leaves a hold open; the next start releases it without a charge and counts it.
let postgres: Awaited<ReturnType<typeof createEmptyPostgresDatabase>>
let config: AccessPointConfig
beforeAll(async () => {
  postgres = await createEmptyPostgresDatabase()
  config = {
    database: { kind: 'postgres', url: postgres.url },
    migrations: { dir: migrationsDir, applyOnStart: true },
    seedOnStart: true,
    siwe: { domain: 'app.example.com', uri: 'https://app.example.com', chainIds: [31337] },
  }
})
afterAll(() => postgres?.drop())

test('holds left open by a crash are released at start-up, fixing the pass, and counted', async () => {
  const crashed = await createAccessPoint(config)
  const { prisma } = crashed.database
  const wallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
  await prisma.wallet.upsert({
    where: { address: wallet },
    create: { address: wallet },
    update: {},
  })
  const pass = await prisma.pass.create({
    data: {
      chainId: 31337,
      contractAddress: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
      tokenId: '1',
      creditMicroUsd: 50_000_000n,
      heldMicroUsd: 1_234n,
    },
  })
  const price = await prisma.modelPrice.findFirstOrThrow({ where: { model: 'dev-mini' } })
  await prisma.ledgerEntry.create({
    data: {
      requestId: 'crashed-request',
      walletAddress: wallet,
      passId: pass.id,
      model: 'dev-mini',
      priceId: price.id,
      holdMicroUsd: 1_234n,
      holdExpiresAt: new Date(Date.now() - 1_000),
    },
  })
  await crashed.close()

  const restarted = await createAccessPoint(config)
  try {
    const entry = await restarted.database.prisma.ledgerEntry.findUniqueOrThrow({
      where: { requestId: 'crashed-request' },
    })
    expect(entry).toMatchObject({ status: 'RELEASED', chargeMicroUsd: null })
    const after = await restarted.database.prisma.pass.findUniqueOrThrow({ where: { id: pass.id } })
    expect(after).toMatchObject({ heldMicroUsd: 0n, pendingMicroUsd: 0n })
    const metrics = await restarted.app.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/^accesspoint_holds_recovered_total 1$/m)
    expect(metrics.body).toMatch(/^accesspoint_holds_recovered_micro_usd_total 1234$/m)
  } finally {
    await restarted.close()
  }
})
