import { devAccounts, devChainAddresses } from '@accesspoint/contracts'
import { InvalidInputError } from '@accesspoint/core'
import {
  createSettlementChain,
  createSettlementRunner,
  type Database,
  DatabaseLockedError,
  type ReconcileSettlementReturnType,
  type SettlementRunner,
  type SettlementRunOptions,
} from '@accesspoint/server'
import { privateKeyToAccount } from 'viem/accounts'
import { getChainId, getCode } from 'viem/actions'
import type { ServerConfig } from '../../config/loadConfig.js'
import { openDatabase } from '../openDatabase.js'
import { AdminRequestError, createAdminClient } from './createAdminClient.js'

export type OpenSettlementTargetParameters = {
  config: ServerConfig
  /** Tells the operator what is used and how (a line on stderr). */
  note: (line: string) => void
}

type RunSettlementReturnType = Awaited<ReturnType<SettlementRunner['runOrThrow']>>
type SettlementProgressEvent = Parameters<NonNullable<SettlementRunOptions['onProgress']>>[0]

/** Where `pnpm settle` settles: in this process, or through the server that owns the database. */
export type SettlementTarget = {
  /** `direct`: this process opened the database; `server`: it asks the running server. */
  kind: 'direct' | 'server'
  run(options: {
    dryRun: boolean
    onProgress: (event: SettlementProgressEvent) => void
    signal: AbortSignal
  }): Promise<RunSettlementReturnType>
  reconcile(): Promise<ReconcileSettlementReturnType>
  close(): Promise<void>
}

export type OpenSettlementTargetReturnType = SettlementTarget

/**
 * Opens what `pnpm settle` needs. PostgreSQL (or an embedded database nobody holds): this
 * process settles, under the same lock as the servers' schedules. An embedded database held by a
 * running server (`pnpm dev`): PGlite is one process's, so the CLI signs in to that server as an
 * admin with the settlement key and calls `admin.runSettlement` / `admin.reconcileSettlement`;
 * the settlement runs inside the process that owns the database.
 */
export async function openSettlementTarget({
  config,
  note,
}: OpenSettlementTargetParameters): Promise<OpenSettlementTargetReturnType> {
  const { privateKey, devKey } = config.settlement
  if (!privateKey)
    throw new InvalidInputError(
      'SETTLEMENT_PRIVATE_KEY is not set: pnpm settle needs the key of an account with the AccessPass BILLING_ROLE (see .env.example).',
    )
  if (devKey)
    note(
      `Settlement key: anvil account 0 (${devAccounts[0].address}), the dev chain's billing account; set SETTLEMENT_PRIVATE_KEY to use another.`,
    )

  let database: Database
  try {
    database = await openDatabase(config)
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error
    const url = serverUrl(config)
    note(
      `The embedded database is held by the server at ${url} (pnpm dev): asking it through its admin procedures, signed in with the settlement key.`,
    )
    const client = createAdminClient({ url, privateKey })
    const address = privateKeyToAccount(privateKey).address
    // Refused for want of a role: say which address needs it and how to give it.
    const explain = (error: unknown): never => {
      if (error instanceof AdminRequestError && error.code === 'FORBIDDEN_ROLE')
        throw new InvalidInputError(
          `The server at ${url} refused the settlement key's address ${address}: ${error.shortMessage} pnpm settle signs in with that key; add the address to ADMIN_ADDRESSES of the server (and restart it), or set SETTLEMENT_PRIVATE_KEY to an admin's key.`,
        )
      throw error
    }
    return {
      kind: 'server',
      run: ({ dryRun }) =>
        client.mutation<RunSettlementReturnType>('admin.runSettlement', { dryRun }).catch(explain),
      reconcile: () =>
        client.query<ReconcileSettlementReturnType>('admin.reconcileSettlement').catch(explain),
      close: () => client.close(),
    }
  }

  try {
    const target =
      config.chain.kind === 'rpc'
        ? {
            rpcUrl: config.chain.rpcUrl,
            chainId: config.chain.chainId,
            contract: config.chain.accessPass,
            what: 'RPC_URL',
          }
        : {
            rpcUrl: `http://127.0.0.1:${config.chain.port}`,
            chainId: 31337,
            contract: devChainAddresses.accessPass,
            what: `the dev chain (DEV_CHAIN_PORT=${config.chain.port})`,
          }
    if (config.chain.kind === 'dev' && config.chain.port === 0)
      throw new InvalidInputError(
        'DEV_CHAIN_PORT=0 gives the dev chain a random port pnpm settle cannot know: set DEV_CHAIN_PORT (or RPC_URL and ACCESS_PASS_ADDRESS).',
      )
    const chain = createSettlementChain({
      rpcUrl: target.rpcUrl,
      chainId: target.chainId,
      contract: target.contract,
      privateKey,
      pollingIntervalMs: config.chain.kind === 'dev' ? 100 : 1_000,
    })
    await checkChain({ chain, what: target.what, dev: config.chain.kind === 'dev' })
    const runner = createSettlementRunner({
      database,
      chain,
      delayMs: config.settlement.delayMs,
      confirmations: config.settlement.confirmations,
      fromBlock: config.settlement.fromBlock,
      // The worker's warnings (a batch retried, one left in flight) as lines for the operator.
      logger: {
        info: () => {},
        warn: (object, message) => note(`warning: ${describe(message, object)}`),
        error: (object, message) => note(`error: ${describe(message, object)}`),
      },
    })
    return {
      kind: 'direct',
      run: ({ dryRun, onProgress, signal }) => runner.runOrThrow({ dryRun, onProgress, signal }),
      reconcile: () => runner.reconcile(),
      async close() {
        runner.close()
        await database.close()
      },
    }
  } catch (error) {
    await database.close()
    throw error
  }
}

/** The chain answers, is the one configured, and has the contract: else a message with the fix. */
async function checkChain({
  chain,
  what,
  dev,
}: {
  chain: ReturnType<typeof createSettlementChain>
  what: string
  dev: boolean
}): Promise<void> {
  const chainId = await getChainId(chain.publicClient).catch(() => undefined)
  if (chainId === undefined)
    throw new InvalidInputError(
      dev
        ? `No chain answers at ${what}: pnpm settle settles on the chain \`pnpm dev\` runs; start it first, or set RPC_URL and ACCESS_PASS_ADDRESS.`
        : `${what} does not answer: check it (and the network) and run again.`,
    )
  if (chainId !== chain.chainId)
    throw new InvalidInputError(
      `${what} is chain ${chainId}, but the configuration says ${chain.chainId}: fix CHAIN_IDS (its first id is RPC_URL's chain) or RPC_URL.`,
    )
  const code = await getCode(chain.publicClient, { address: chain.contract }).catch(() => '0x')
  if (!code || code === '0x')
    throw new InvalidInputError(
      dev
        ? `There is no AccessPass at ${chain.contract} on ${what}: is it the chain \`pnpm dev\` started?`
        : `There is no contract at ACCESS_PASS_ADDRESS=${chain.contract} on chain ${chainId}: check it.`,
    )
}

function describe(message: string | undefined, object: object): string {
  const fields = JSON.stringify(object, (_key, value: unknown) =>
    typeof value === 'bigint' ? String(value) : value,
  )
  return fields === '{}' ? (message ?? '') : `${message ?? ''} ${fields}`
}

function serverUrl(config: ServerConfig): string {
  const host =
    config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.port}`
}
