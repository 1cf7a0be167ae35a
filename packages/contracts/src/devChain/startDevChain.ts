import { type ChildProcess, spawn } from 'node:child_process'
import {
  type Address,
  type Chain,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  type Hash,
  http,
  type PublicClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import {
  getChainId,
  setIntervalMining,
  waitForTransactionReceipt,
  writeContract,
} from 'viem/actions'
import { anvil } from 'viem/chains'
import { deployAccessPass } from '../accessPass/deployAccessPass.js'
import { billingRole, minterRole } from '../accessPass/roles.js'
import type { AnvilNotFoundErrorType } from '../errors/devChain.js'
import {
  DevChainPortInUseError,
  type DevChainPortInUseErrorType,
  DevChainStartError,
  type DevChainStartErrorType,
} from '../errors/devChain.js'
import { accessPassAbi } from '../generated/AccessPass.js'
import { mockUsdcAbi } from '../generated/MockUSDC.js'
import { deployMockUsdc } from '../mockUsdc/deployMockUsdc.js'
import { anvilChainId, anvilMnemonic, type DevAccount, devAccounts } from './constants.js'
import { getAnvilBinaryPath } from './getAnvilBinaryPath.js'

export type StartDevChainParameters = {
  /** Interface anvil listens on. Defaults to `'127.0.0.1'` (this machine only). */
  host?: string | undefined
  /**
   * Defaults to `8545`. `0` lets the OS choose a free port (read back from anvil), which is what
   * parallel tests want. A taken port fails with {@link DevChainPortInUseError}.
   */
  port?: number | undefined
  /**
   * Mine a block every this many whole seconds instead of one per transaction (automine, the
   * default). Switched on after setup, so setup stays fast and its addresses stay the same.
   */
  blockTime?: number | undefined
  /** Anvil executable to run. Defaults to the one from `@foundry-rs/anvil` ({@link getAnvilBinaryPath}). */
  binaryPath?: string | undefined
  /** How long anvil may take to start listening, in ms. Defaults to 10 000. */
  timeout?: number | undefined
}

/** A pass `startDevChain` minted and funded. */
export type DevChainPass = {
  owner: Address
  tokenId: bigint
  /** Credit at start, micro-USD. */
  creditMicroUsd: bigint
}

/** A running dev chain; see {@link startDevChain}. */
export type StartDevChainReturnType = {
  /** HTTP JSON-RPC endpoint, e.g. `http://127.0.0.1:8545` (WebSocket works on the same port). */
  rpcUrl: string
  host: string
  /** The actual port, also when `0` was asked for. */
  port: number
  chainId: typeof anvilChainId
  /** viem's `anvil` chain with {@link StartDevChainReturnType.rpcUrl} as its RPC URL. */
  chain: Chain
  contracts: {
    /** AccessPass, always `0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512`. */
    accessPass: Address
    /** MockUSDC, always `0x5FbDB2315678afecb367f032d93F642f64180aa3`. */
    usdc: Address
  }
  accounts: {
    /** Account 0: `DEFAULT_ADMIN_ROLE`, deployer. */
    admin: DevAccount
    /** Account 0: `MINTER_ROLE`. */
    minter: DevAccount
    /** Account 0: `BILLING_ROLE`, the key that settles. */
    billing: DevAccount
    /** Account 9: receives settled USDC; starts with 0 USDC. */
    treasury: DevAccount
    /** Accounts 1, 2 and 3: own passes 1, 2 and 3, and $1000 USDC each for top-ups. */
    holders: readonly [DevAccount, DevAccount, DevAccount]
    /** Account 4: $1000 USDC but no pass. */
    withoutPass: DevAccount
  }
  /** Passes 1–3, owned by the holders, funded with $50, $5 and $0.01. */
  passes: readonly [DevChainPass, DevChainPass, DevChainPass]
  /** Stops anvil and resolves once it has exited (its port is then free). Safe to call twice. */
  stop: () => Promise<void>
}

export type StartDevChainErrorType =
  | AnvilNotFoundErrorType
  | DevChainPortInUseErrorType
  | DevChainStartErrorType

const usd = 1_000_000n
// Each holder's pass credit, in holder order; deliberately rich, poor and nearly empty.
const passCredits = [50n * usd, 5n * usd, 10_000n] as const
const walletFunding = 1_000n * usd

const [admin, holder1, holder2, holder3, withoutPass, , , , , treasury] = devAccounts

/**
 * Starts a local chain for development and tests: anvil from `@foundry-rs/anvil` (chain id
 * 31337, anvil's default mnemonic and accounts, see {@link devAccounts}) with AccessPass and
 * MockUSDC deployed and demo passes minted and funded:
 *
 * | account | role | pass | credit | USDC |
 * |---|---|---|---|---|
 * | 0 | admin, minter, billing | – | – | 0 |
 * | 1 | holder | #1 | $50 | $1000 |
 * | 2 | holder | #2 | $5 | $1000 |
 * | 3 | holder | #3 | $0.01 | $1000 |
 * | 4 | – | none | – | $1000 |
 * | 9 | treasury | – | – | 0 |
 *
 * The setup is the same on every start, so the addresses are too: MockUSDC at
 * `0x5FbDB2315678afecb367f032d93F642f64180aa3`, AccessPass at
 * `0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512` ({@link devChainAddresses}).
 *
 * Anvil is killed when this process exits; call `stop()` to end it earlier.
 *
 * @example
 * const chain = await startDevChain({ port: 0 })
 * const client = createPublicClient({ chain: chain.chain, transport: http(chain.rpcUrl) })
 * await chain.stop()
 *
 * @throws {DevChainPortInUseError} When the port is taken; never attaches to a foreign node.
 * @throws {DevChainStartError} When anvil exits, times out or the setup fails.
 * @throws {AnvilNotFoundError} When no anvil binary is installed for this platform.
 */
export async function startDevChain(
  parameters: StartDevChainParameters = {},
): Promise<StartDevChainReturnType> {
  const { host = '127.0.0.1', port = 8545, blockTime, timeout = 10_000 } = parameters
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new DevChainStartError({ reason: `port ${port} is not an integer from 0 to 65535.` })
  if (blockTime !== undefined && (!Number.isInteger(blockTime) || blockTime < 1))
    throw new DevChainStartError({ reason: `blockTime ${blockTime} is not a whole number ≥ 1.` })
  const binaryPath = parameters.binaryPath ?? getAnvilBinaryPath()

  const node = spawnAnvil({ binaryPath, host, port })
  try {
    const actualPort = await node.listening(timeout)
    const rpcUrl = `http://${urlHost(host)}:${actualPort}`
    const chain = defineChain({
      ...anvil,
      rpcUrls: { default: { http: [rpcUrl], webSocket: [`ws://${urlHost(host)}:${actualPort}`] } },
    })
    const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 50 })

    const chainId = await getChainId(publicClient)
    if (chainId !== anvilChainId)
      throw new DevChainStartError({ reason: `anvil reports chain id ${chainId}, not 31337.` })

    const contracts = await seed({ publicClient, chain, rpcUrl })
    if (blockTime !== undefined) {
      const testClient = createTestClient({ chain, mode: 'anvil', transport: http(rpcUrl) })
      await setIntervalMining(testClient, { interval: blockTime })
    }

    return {
      rpcUrl,
      host,
      port: actualPort,
      chainId: anvilChainId,
      chain,
      contracts,
      accounts: {
        admin,
        minter: admin,
        billing: admin,
        treasury,
        holders: [holder1, holder2, holder3],
        withoutPass,
      },
      passes: [
        { owner: holder1.address, tokenId: 1n, creditMicroUsd: passCredits[0] },
        { owner: holder2.address, tokenId: 2n, creditMicroUsd: passCredits[1] },
        { owner: holder3.address, tokenId: 3n, creditMicroUsd: passCredits[2] },
      ],
      stop: node.stop,
    }
  } catch (error) {
    await node.stop()
    if (error instanceof DevChainPortInUseError || error instanceof DevChainStartError) throw error
    throw new DevChainStartError({
      reason: 'setting up the contracts failed.',
      output: node.output(),
      cause: error,
    })
  }
}

/**
 * Deploys and funds everything. Order matters: the deployments must be account 0's nonces 0 and
 * 1 so their addresses never change.
 */
async function seed({
  publicClient,
  chain,
  rpcUrl,
}: {
  publicClient: PublicClient
  chain: Chain
  rpcUrl: string
}): Promise<StartDevChainReturnType['contracts']> {
  const walletClient = createWalletClient({
    account: privateKeyToAccount(admin.privateKey),
    chain,
    transport: http(rpcUrl),
    pollingInterval: 50,
  })
  const confirm = async (pending: Promise<Hash>) => {
    const hash = await pending
    const receipt = await waitForTransactionReceipt(publicClient, { hash })
    if (receipt.status !== 'success') throw new Error(`Transaction ${hash} reverted.`)
  }

  const { address: usdc } = await deployMockUsdc({ walletClient, publicClient })
  const { address: accessPass } = await deployAccessPass({
    walletClient,
    publicClient,
    admin: admin.address,
    stablecoin: usdc,
    treasury: treasury.address,
  })

  const pass = { address: accessPass, abi: accessPassAbi } as const
  const token = { address: usdc, abi: mockUsdcAbi } as const
  for (const role of [minterRole, billingRole])
    await confirm(
      writeContract(walletClient, {
        ...pass,
        functionName: 'grantRole',
        args: [role, admin.address],
      }),
    )

  const holders = [holder1, holder2, holder3] as const
  // Minted in order, so holder i gets token i + 1.
  for (const holder of holders)
    await confirm(
      writeContract(walletClient, { ...pass, functionName: 'mint', args: [holder.address] }),
    )

  // The admin pays the starting credit through `deposit`, as a real top-up would.
  const totalCredit = passCredits.reduce((sum, credit) => sum + credit, 0n)
  await confirm(
    writeContract(walletClient, {
      ...token,
      functionName: 'mint',
      args: [admin.address, totalCredit],
    }),
  )
  await confirm(
    writeContract(walletClient, {
      ...token,
      functionName: 'approve',
      args: [accessPass, totalCredit],
    }),
  )
  for (const [index, credit] of passCredits.entries())
    await confirm(
      writeContract(walletClient, {
        ...pass,
        functionName: 'deposit',
        args: [BigInt(index + 1), credit],
      }),
    )

  for (const account of [...holders, withoutPass])
    await confirm(
      writeContract(walletClient, {
        ...token,
        functionName: 'mint',
        args: [account.address, walletFunding],
      }),
    )

  return { accessPass, usdc }
}

type AnvilProcess = {
  /** Resolves with the port once anvil listens. */
  listening: (timeout: number) => Promise<number>
  /** The tail of what anvil printed, for error messages. */
  output: () => string
  stop: () => Promise<void>
}

// Enough to show a startup error, bounded because anvil logs every request for as long as it runs.
const maxOutputLength = 4_000

function spawnAnvil({
  binaryPath,
  host,
  port,
}: {
  binaryPath: string
  host: string
  port: number
}): AnvilProcess {
  // biome-ignore format: one flag per line
  const args = [
    '--host', host,
    '--port', String(port),
    '--chain-id', String(anvilChainId),
    '--mnemonic', anvilMnemonic,
    '--accounts', String(devAccounts.length),
    '--color', 'never',
  ]
  const child: ChildProcess = spawn(binaryPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })

  let output = ''
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-maxOutputLength)
  }
  // Always drained: a full pipe would block anvil.
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)

  track(child)
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    // Spawning failed (e.g. no such file): there is no process to wait for.
    child.once('error', () => resolve())
  })
  const hasExited = () => child.exitCode !== null || child.signalCode !== null

  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      if (hasExited() || child.pid === undefined) return
      child.kill('SIGTERM')
      const escalate = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(escalate)
    })()
    return stopping
  }

  const listening = (timeout: number) =>
    new Promise<number>((resolve, reject) => {
      const onData = () => {
        // Up to the line end, or a chunk ending in "…:85" could be read as port 85.
        const match = /Listening on \S*:(\d+)\r?\n/.exec(output)
        if (!match?.[1]) return
        cleanup()
        resolve(Number(match[1]))
      }
      const onExit = () => {
        cleanup()
        reject(
          /address already in use|os error (?:98|48|10048)\b/i.test(output)
            ? new DevChainPortInUseError({ host, port })
            : new DevChainStartError({ reason: 'anvil exited during startup.', output }),
        )
      }
      const onError = (cause: Error) => {
        cleanup()
        reject(
          new DevChainStartError({ reason: `cannot run anvil at ${binaryPath}.`, output, cause }),
        )
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(
          new DevChainStartError({
            reason: `anvil did not start listening within ${timeout} ms.`,
            output,
          }),
        )
      }, timeout)
      const cleanup = () => {
        clearTimeout(timer)
        child.stdout?.off('data', onData)
        child.off('close', onExit)
        child.off('error', onError)
      }
      child.stdout?.on('data', onData)
      // 'close', not 'exit': only then has everything anvil printed been read.
      child.once('close', onExit)
      child.once('error', onError)
      onData()
    })

  return { listening, output: () => output, stop }
}

const running = new Set<ChildProcess>()

/**
 * Kills every anvil still running when this process exits, including on an uncaught exception,
 * so a crashed dev server or test run leaves no orphan holding the port. One listener for all of
 * them. (A parent killed with SIGKILL cannot clean up anything.)
 */
function track(child: ChildProcess): void {
  if (running.size === 0) process.on('exit', killRunning)
  running.add(child)
  const untrack = () => {
    running.delete(child)
    if (running.size === 0) process.off('exit', killRunning)
  }
  child.once('exit', untrack)
  child.once('error', untrack)
}

function killRunning(): void {
  for (const child of running) child.kill('SIGKILL')
}

/** Host part of a URL reaching `host`: wildcard binds are reached through loopback. */
function urlHost(host: string): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  return reachable.includes(':') ? `[${reachable}]` : reachable
}
