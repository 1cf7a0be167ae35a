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
        '  Accounts are anvil\'s defaults (mnemonic "test test ... junk"); account 4 holds no pass. Set RPC_URL to use another chain.',
      ].join('\n'),
    )
  }
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
