import { fileURLToPath } from 'node:url'
import {
  type StartDevChainReturnType as DevChain,
  startDevChain,
} from '@accesspoint/contracts/devChain'
import {
  type AccessPoint,
  type AccessPointConfig,
  createAccessPoint,
} from '../createAccessPoint.js'

// This repository's migrations (src/testing -> repository root); pass your own elsewhere.
const defaultMigrationsDir = fileURLToPath(
  new URL('../../../../prisma/migrations', import.meta.url),
)

export type StartTestServerReturnType = {
  url: string
  accessPoint: AccessPoint
  chain: DevChain
  close(): Promise<void>
}

export type StartTestServerParameters = Partial<AccessPointConfig>

/**
 * The real server as users meet it (the configuration of the server's own tests): anvil with
 * AccessPass and passes 1-3 minted to dev accounts 1-3 ($50, $5, $0.01), the embedded
 * database, the dev AI provider, HTTP on a free port. For tests of clients and apps built on
 * AccessPoint; `overrides` replace any part of the configuration.
 */
export async function startTestServer(
  overrides: StartTestServerParameters = {},
): Promise<StartTestServerReturnType> {
  const chain = await startDevChain({ port: 0 })
  try {
    const accessPoint = await createAccessPoint({
      database: { kind: 'embedded' },
      migrations: { dir: defaultMigrationsDir, applyOnStart: true },
      seedOnStart: true,
      ai: { dev: { tokenDelayMs: 0 } },
      siwe: {
        domain: 'app.example.com',
        uri: 'https://app.example.com',
        chainIds: [chain.chainId],
        rateLimits: {
          perIp: { points: 100_000, windowSeconds: 60 },
          perAddress: { points: 100_000, windowSeconds: 60 },
        },
      },
      // Tests hammer one server from 127.0.0.1 with a few wallets.
      rateLimits: {
        perIp: { points: 1_000_000, windowSeconds: 60 },
        perWallet: { points: 1_000_000, windowSeconds: 60 },
        perApiKey: { points: 1_000_000, windowSeconds: 60 },
      },
      chains: [{ chainId: chain.chainId, rpcUrl: chain.rpcUrl }],
      passContracts: [{ chainId: chain.chainId, address: chain.contracts.accessPass }],
      access: { pollingIntervalMs: 100 },
      logger: false,
      ...overrides,
    })
    const url = await accessPoint.app.listen({ host: '127.0.0.1', port: 0 })
    return {
      url,
      accessPoint,
      chain,
      async close() {
        await accessPoint.close()
        await chain.stop()
      },
    }
  } catch (error) {
    await chain.stop()
    throw error
  }
}
