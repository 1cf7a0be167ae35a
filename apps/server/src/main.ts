// The server process: environment -> config -> createAccessPoint -> listen, with graceful shutdown.
import { formatUsd, isBaseError } from '@accesspoint/core'
import closeWithGrace from 'close-with-grace'
import { loadConfig } from './config/loadConfig.js'
import { loadEnvFile } from './config/loadEnvFile.js'
import { startServer } from './startServer.js'

loadEnvFile()

try {
  const config = loadConfig()
  const server = await startServer(config)
  const { log } = server.app
  log.info(
    { url: server.url, database: config.database.kind },
    `AccessPoint listening on ${server.url} (${config.database.kind === 'embedded' ? `embedded database in ${config.database.dataDir}` : 'PostgreSQL'})`,
  )
  if (server.devChain) {
    const { rpcUrl, chainId, contracts, passes } = server.devChain
    log.info(
      { rpcUrl, chainId, contracts },
      [
        `Dev chain (anvil) on ${rpcUrl}, chain id ${chainId}: AccessPass ${contracts.accessPass}, MockUSDC ${contracts.usdc}.`,
        ...passes.map(
          (pass) =>
            `  pass #${pass.tokenId} held by ${pass.owner} with ${formatUsd(pass.creditMicroUsd)} credit`,
        ),
        '  Accounts are anvil\'s defaults (mnemonic "test test ... junk"): account 0 is the contract admin, account 4 holds no pass. Set RPC_URL to use another chain.',
        // The first SIWE URI is where the dapp lives (apps/web in `pnpm dev`).
        `Demo dapp: ${config.siwe.uri[0]} (pick a dev account there; 1-3 hold passes).`,
      ].join('\n'),
    )
  }
  const { settlement } = config
  if (!settlement.privateKey)
    log.warn(
      'Settlement is off in this process: set SETTLEMENT_PRIVATE_KEY (a key with the AccessPass BILLING_ROLE) to settle charges on-chain.',
    )
  else
    log.info(
      { settlement: { ...settlement, privateKey: undefined, fromBlock: undefined } },
      `Settlement: ${settlement.intervalMs ? `every ${formatDuration(settlement.intervalMs)}` : 'on demand only (SETTLEMENT_INTERVAL=off)'}, charges older than ${formatDuration(settlement.delayMs)}, after ${settlement.confirmations} confirmation(s)${settlement.devKey ? ", with anvil account 0's key" : ''}. \`pnpm settle\` settles now.`,
    )
  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database; exit 1 if
  // that takes longer than SHUTDOWN_TIMEOUT_MS.
  closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an unexpected error')
    else log.info({ signal }, 'shutting down')
    await server.close()
  })
} catch (error) {
  // Start-up failures are the operator's to fix: print what and how, not a stack trace.
  console.error(
    isBaseError(error) ? error.message : `AccessPoint failed to start: ${String(error)}`,
  )
  process.exit(1)
}

function formatDuration(ms: number): string {
  if (ms === 0) return '0 s'
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1_000],
  ] as const)
    if (ms % size === 0) return `${ms / size} ${unit}`
  return `${ms} ms`
}
