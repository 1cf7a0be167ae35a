import {
  type StartDevChainReturnType as DevChain,
  startDevChain,
} from '@accesspoint/contracts/devChain'
import {
  createTRPCClient,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client'
import { EventSource } from 'eventsource'
import superjson from 'superjson'
import {
  type AccessPoint,
  type AccessPointConfig,
  createAccessPoint,
} from '../src/createAccessPoint.js'
import type { AppRouter } from '../src/trpc/appRouter.js'
import {
  createEmptyPostgresDatabase,
  migrationsDir,
  type TestDatabaseKind,
} from './testDatabase.js'

export const testSiwe = { domain: 'app.example.com', uri: 'https://app.example.com' }

export type TestServer = {
  url: string
  accessPoint: AccessPoint
  chain: DevChain
  /** A tRPC client, signed in when given a bearer token. */
  client(token?: string): TRPCClient<AppRouter>
  /** Another server instance on the same database and chain (shared state across instances). */
  secondInstance(): Promise<{
    url: string
    accessPoint: AccessPoint
    client(token?: string): TRPCClient<AppRouter>
  }>
  close(): Promise<void>
}

function clientFor(url: string, token?: string): TRPCClient<AppRouter> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        // Node 20 has no EventSource; the `eventsource` package lets us send the bearer header.
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              fetch(input, { ...init, headers: { ...init?.headers, ...headers } }),
          }),
        }),
        false: httpLink({ url: `${url}/trpc`, transformer: superjson, headers }),
      }),
    ],
  })
}

/**
 * The whole server as users meet it: a dev chain (anvil with AccessPass, passes minted to
 * accounts 1-3), a migrated database of `kind`, real HTTP on a free port.
 */
export async function createTestServer(
  kind: TestDatabaseKind,
  overrides: Partial<AccessPointConfig> = {},
  options: {
    /**
     * The URL the instances connect with, given the test database's own URL: a fault test puts
     * a proxy in between that it can cut (see createTcpProxy.ts).
     */
    routeDatabase?: (url: string) => string
    /** The same for the chain's JSON-RPC URL (see createRpcProxy.ts). */
    routeRpc?: (url: string) => Promise<string>
  } = {},
): Promise<TestServer> {
  const chain = await startDevChain({ port: 0 })
  const rpcUrl = (await options.routeRpc?.(chain.rpcUrl)) ?? chain.rpcUrl
  const postgres = kind === 'postgres' ? await createEmptyPostgresDatabase() : undefined
  const databaseUrl = postgres && (options.routeDatabase?.(postgres.url) ?? postgres.url)
  const instances: AccessPoint[] = []
  const config = (database: AccessPointConfig['database']): AccessPointConfig => ({
    database,
    migrations: { dir: migrationsDir, applyOnStart: true },
    // Prices; the dev provider streams without pauses unless a test asks for them.
    seedOnStart: true,
    ai: { dev: { tokenDelayMs: 0 } },
    siwe: {
      ...testSiwe,
      chainIds: [chain.chainId],
      // Every test signs in from 127.0.0.1, many times; the limits have a test of their own.
      rateLimits: {
        perIp: { points: 100_000, windowSeconds: 60 },
        perAddress: { points: 100_000, windowSeconds: 60 },
      },
    },
    // Every test calls from 127.0.0.1 with few wallets; request limits have tests of their own.
    rateLimits: {
      perIp: { points: 1_000_000, windowSeconds: 60 },
      perWallet: { points: 1_000_000, windowSeconds: 60 },
      perApiKey: { points: 1_000_000, windowSeconds: 60 },
    },
    chains: [{ chainId: chain.chainId, rpcUrl }],
    passContracts: [{ chainId: chain.chainId, address: chain.contracts.accessPass }],
    access: { pollingIntervalMs: 100 },
    ...overrides,
  })
  const start = async (database: AccessPointConfig['database']) => {
    const accessPoint = await createAccessPoint(config(database))
    instances.push(accessPoint)
    return { accessPoint, url: await accessPoint.app.listen({ host: '127.0.0.1', port: 0 }) }
  }
  const first = await start(
    databaseUrl ? { kind: 'postgres', url: databaseUrl, pool: { max: 5 } } : { kind: 'embedded' },
  )
  return {
    url: first.url,
    accessPoint: first.accessPoint,
    chain,
    client: (token) => clientFor(first.url, token),
    async secondInstance() {
      // In-memory PGlite belongs to one process; instances share state through PostgreSQL.
      if (!databaseUrl) throw new Error('a second instance needs a shared PostgreSQL database')
      const second = await start({ kind: 'postgres', url: databaseUrl, pool: { max: 5 } })
      return {
        url: second.url,
        accessPoint: second.accessPoint,
        client: (token) => clientFor(second.url, token),
      }
    },
    async close() {
      for (const instance of instances) await instance.close()
      await postgres?.drop()
      await chain.stop()
    },
  }
}
