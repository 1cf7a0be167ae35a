import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAccessPointClient } from '@accesspoint/client'
import { fileStorage } from '@accesspoint/client/node'
import { devAccounts } from '@accesspoint/contracts'
import { type StartTestServerReturnType, startTestServer } from '@accesspoint/server/testing'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { countingAccount } from './countingAccount.js'
import { runBot } from './runBot.js'

let server: StartTestServerReturnType
let dir: string
beforeAll(async () => {
  server = await startTestServer({
    siwe: { domain: 'localhost:5173', uri: 'http://localhost:5173', chainIds: [31337] },
  })
  dir = await mkdtemp(join(tmpdir(), 'ap-bot-'))
})
afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

function botClient() {
  const account = countingAccount(privateKeyToAccount(devAccounts[1]?.privateKey ?? '0x'))
  const client = createAccessPointClient({
    url: server.url,
    account,
    storage: fileStorage(join(dir, 'session.json')),
  })
  return { account, client }
}

// Real server and chain on a machine busy with every other package's tests: give it room.
test('a bot signs once for a hundred concurrent requests, and not at all after a restart', {
  timeout: 120_000,
}, async () => {
  const first = botClient()
  const run = await runBot({
    client: first.client,
    requests: 100,
    concurrency: 16,
    streamEvery: 10,
    model: 'dev-mini',
    maxTokens: 8,
  })
  expect(run).toMatchObject({ requests: 100, succeeded: 100, failures: {}, streamed: 10 })
  expect(run.spentMicroUsd).toBeGreaterThan(0n)
  expect(run.latencyMs.p99).toBeGreaterThanOrEqual(run.latencyMs.p50)
  expect(first.account.signatures).toBe(1)

  // Spend matches the ledger exactly.
  const [pass] = await first.client.balance()
  expect(pass?.pendingMicroUsd).toBe(run.spentMicroUsd)

  const restarted = botClient()
  const again = await runBot({
    client: restarted.client,
    requests: 20,
    concurrency: 4,
    streamEvery: 0,
    model: 'dev-mini',
    maxTokens: 8,
  })
  expect(again.succeeded).toBe(20)
  expect(restarted.account.signatures).toBe(0)
})
