// The example bot: sign in once (the session is kept in SESSION_FILE, so a restart signs nothing),
// fire REQUESTS completions at CONCURRENCY, print latency, throughput, spend and signatures.
import { createAccessPointClient } from '@accesspoint/client'
import { fileStorage } from '@accesspoint/client/node'
import { formatUsd } from '@accesspoint/core'
import { privateKeyToAccount } from 'viem/accounts'
import { countingAccount } from './countingAccount.js'
import { loadBotConfig } from './loadBotConfig.js'
import { runBot } from './runBot.js'

const config = loadBotConfig()
const account = countingAccount(privateKeyToAccount(config.privateKey))
const client = createAccessPointClient({
  url: config.url,
  account,
  storage: fileStorage(config.sessionFile),
})

console.log(
  `Bot ${account.address}${config.devKey ? ' (anvil account 1, a public dev key)' : ''} -> ${config.url}`,
)
console.log(
  `${config.requests} requests to ${config.model}, ${config.concurrency} at a time, every ${config.streamEvery || '∞'}th streamed`,
)
const [pass] = await client.balance()
const figures = await runBot({
  client,
  ...config,
  onProgress(done) {
    if (process.stdout.isTTY && (done % 50 === 0 || done === config.requests))
      process.stdout.write(`\r${done}/${config.requests}`)
  },
})
const [after] = await client.balance()
if (process.stdout.isTTY) process.stdout.write('\n')

const ms = (value: number) => `${value.toFixed(1)} ms`
console.table({
  requests: figures.requests,
  succeeded: figures.succeeded,
  streamed: figures.streamed,
  failed:
    Object.entries(figures.failures)
      .map(([code, n]) => `${code}×${n}`)
      .join(', ') || 0,
  'latency p50': ms(figures.latencyMs.p50),
  'latency p95': ms(figures.latencyMs.p95),
  'latency p99': ms(figures.latencyMs.p99),
  'requests/s': figures.requestsPerSecond.toFixed(1),
  spent: formatUsd(figures.spentMicroUsd, { minDecimals: 6 }),
  'available before': pass ? formatUsd(pass.availableMicroUsd, { minDecimals: 6 }) : '-',
  'available after': after ? formatUsd(after.availableMicroUsd, { minDecimals: 6 }) : '-',
  signatures: account.signatures,
})
process.exitCode = figures.succeeded === figures.requests ? 0 : 1
