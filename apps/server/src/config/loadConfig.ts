import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { InvalidInputError, parseUsd } from '@accesspoint/core'
import { parseRolesConfig, type RolesConfig } from '@accesspoint/server'
import { z } from 'zod'
import { ConfigError } from './ConfigError.js'
import { defaultDataDir, migrationsDir, schemaPath } from './paths.js'

const flag = (fix: string) =>
  z
    .enum(['true', 'false', '1', '0'], { error: `must be true or false. ${fix}` })
    .transform((value) => value === 'true' || value === '1')

const integer = (min: number, max: number, fix: string) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number. ${fix}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}. ${fix}` })
        .max(max, { error: `must be at most ${max}. ${fix}` }),
    )

const address = (what: string) =>
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, { error: `must be the 0x address of ${what}.` })
    .transform((value) => value as `0x${string}`)

// Every variable, its default and the fix we print when it is wrong. Mirrors .env.example.
const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error: 'must be development, production or test.',
    })
    .default('development'),
  HOST: z
    .string()
    .regex(/^\S+$/, {
      error: 'must be a host name or IP address, e.g. 127.0.0.1, or 0.0.0.0 for every interface.',
    })
    .default('127.0.0.1'),
  PORT: integer(1, 65_535, 'Set it to a free TCP port, e.g. PORT=8787.').default(8787),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent.',
    })
    .default('info'),
  SERVICE_NAME: z.string().min(1).default('AccessPoint'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, {
      error:
        'must be a PostgreSQL URL like postgresql://user:password@host:5432/accesspoint. Unset it to use the embedded database.',
    })
    .optional(),
  DATA_DIR: z.string().min(1).default(defaultDataDir),
  DATABASE_POOL_MAX: integer(1, 1_000, 'e.g. DATABASE_POOL_MAX=10.').default(10),
  DATABASE_POOL_IDLE_TIMEOUT_MS: integer(0, 3_600_000, 'e.g. 10000.').default(10_000),
  DATABASE_CONNECTION_TIMEOUT_MS: integer(100, 120_000, 'e.g. 5000.').default(5_000),
  MIGRATE_ON_START: flag('Set MIGRATE_ON_START=true to apply pending migrations at start.').default(
    false,
  ),
  SEED_ON_START: flag(
    'Set SEED_ON_START=true to load prices and demo wallets at start.',
  ).optional(),
  SIWE_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?(,[A-Za-z0-9.-]+(:\d{1,5})?)*$/, {
      error:
        'must be a host[:port] like app.example.com or localhost:5173 (or several, comma-separated), with no scheme or path.',
    })
    .transform((value) => value.split(','))
    .default(['localhost:5173']),
  SIWE_URI: z
    .string()
    .transform((value) => value.split(','))
    .pipe(
      z.array(
        z.url({
          protocol: /^https?$/,
          error:
            'must be an http(s) URL like https://app.example.com (or several, comma-separated).',
        }),
      ),
    )
    .default(['http://localhost:5173']),
  CHAIN_IDS: z
    .string()
    .regex(/^\d+(,\d+)*$/, { error: 'must be comma-separated chain ids, e.g. CHAIN_IDS=1,8453.' })
    .transform((value) => [...new Set(value.split(',').map(Number))])
    .default([31337]),
  SIWE_MAX_AGE_SECONDS: integer(10, 86_400, 'e.g. SIWE_MAX_AGE_SECONDS=600.').default(600),
  SESSION_MAX_HOURS: integer(1, 720, 'e.g. SESSION_MAX_HOURS=24.').default(24),
  RPC_URL: z
    .url({
      protocol: /^(https?|wss?)$/,
      error: 'must be an http(s) or ws(s) JSON-RPC URL. Unset it to start the local dev chain.',
    })
    .optional(),
  ACCESS_PASS_ADDRESS: address('the deployed AccessPass contract').optional(),
  ADMIN_ADDRESSES: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}(,0x[0-9a-fA-F]{40})*$/, {
      error: 'must be comma-separated 0x addresses, e.g. ADMIN_ADDRESSES=0xabc...,0xdef....',
    })
    .transform((value) => value.split(',') as `0x${string}`[])
    .default([]),
  ROLES_FILE: z.string().min(1).optional(),
  // 0: any free port (tests run several servers at once).
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/, {
      error:
        'must be true, false, or comma-separated proxy addresses/CIDRs, e.g. TRUST_PROXY=10.0.0.0/8.',
    })
    .transform((value): boolean | string =>
      value === 'true' ? true : value === 'false' ? false : value,
    )
    .default(false),
  DEV_CHAIN_PORT: integer(0, 65_535, 'e.g. DEV_CHAIN_PORT=8545.').default(8545),
  OPENAI_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  OPENAI_COMPATIBLE_BASE_URL: z
    .url({
      protocol: /^https?$/,
      error: 'must be the http(s) URL before /chat/completions, e.g. http://127.0.0.1:11434/v1.',
    })
    .optional(),
  OPENAI_COMPATIBLE_API_KEY: z.string().min(1).optional(),
  OPENAI_COMPATIBLE_NAME: z
    .string()
    .regex(/^[a-z0-9-]+$/, { error: 'must be lower-case letters, digits and dashes, e.g. ollama.' })
    .default('compatible'),
  OPENAI_COMPATIBLE_MODELS: z
    .string()
    .regex(/^[^,\s]+(,[^,\s]+)*$/, {
      error: 'must be comma-separated model ids, e.g. llama3.1:8b.',
    })
    .transform((value) => value.split(','))
    .optional(),
  DEV_PROVIDER: flag('Set DEV_PROVIDER=false to offer only real providers.').optional(),
  DEV_TOKEN_DELAY_MS: integer(0, 10_000, 'e.g. DEV_TOKEN_DELAY_MS=20.').default(20),
  MAX_REQUEST_USD: z
    .string()
    .regex(/^\d+(\.\d{1,6})?$/, { error: 'must be an amount in USD like 1 or 0.25.' })
    .transform((value) => parseUsd(value))
    .default(1_000_000n),
  DEFAULT_MAX_TOKENS: integer(1, 128_000, 'e.g. DEFAULT_MAX_TOKENS=1024.').default(1024),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, 'e.g. SHUTDOWN_TIMEOUT_MS=10000.').default(10_000),
})

export type ServerConfig = {
  nodeEnv: 'development' | 'production' | 'test'
  host: string
  port: number
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  serviceName: string
  database:
    | {
        kind: 'postgres'
        url: string
        pool: { max: number; idleTimeoutMs: number; connectionTimeoutMs: number }
      }
    | { kind: 'embedded'; dataDir: string }
  migrateOnStart: boolean
  seedOnStart: boolean
  schemaPath: string
  migrationsDir: string
  siwe: {
    /** Accepted domains; the first is the one clients are told to sign for. */
    domain: string[]
    /** Accepted origins; the first is the one clients are told to sign for. */
    uri: string[]
    chainIds: number[]
    maxAgeMs: number
    sessionMaxMs: number
  }
  /**
   * `dev`: start anvil with the AccessPass deployed (development only). `rpc`: an existing chain,
   * whose id must be the first of CHAIN_IDS.
   */
  chain:
    | { kind: 'dev'; port: number }
    | { kind: 'rpc'; rpcUrl: string; chainId: number; accessPass: `0x${string}` }
  adminAddresses: `0x${string}`[]
  /** Role rules from ROLES_FILE; undefined means the default `holder` and `admin`. */
  roles: RolesConfig | undefined
  ai: {
    openaiApiKey: string | undefined
    anthropicApiKey: string | undefined
    openaiCompatible: {
      name: string
      baseUrl: string
      apiKey: string | undefined
      models: string[]
    }[]
    /** The built-in dev provider (`false` in production unless DEV_PROVIDER=true). */
    dev: { tokenDelayMs: number } | false
    capMicroUsd: bigint
    defaultMaxTokens: number
  }
  /** Proxies whose X-Forwarded-For is believed (rate limits and logs use the client's IP). */
  trustProxy: boolean | string
  shutdownTimeoutMs: number
}

export type LoadConfigReturnType = ServerConfig
export type LoadConfigErrorType = ConfigError

/** Reads the environment into a validated config, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadConfigReturnType {
  // An empty variable (`PORT=`) means "not set", as in most .env tooling.
  const defined = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((key) => {
      const value = env[key]
      return value === undefined || value === '' ? [] : [[key, value]]
    }),
  )
  const parsed = envSchema.safeParse(defined)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment')
        // Never echo values that may carry credentials (a database URL holds its password).
        const secret = /URL|KEY|SECRET|TOKEN|PASSWORD/.test(name)
        const got = typeof defined[name] === 'string' && !secret ? ` (got "${defined[name]}")` : ''
        return `${name} ${issue.message}${got}`
      }),
    )
  }
  const e = parsed.data
  const chainProblems = [
    ...(e.RPC_URL && !e.ACCESS_PASS_ADDRESS
      ? ['ACCESS_PASS_ADDRESS is required with RPC_URL: set it to the AccessPass contract address.']
      : []),
    ...(e.OPENAI_COMPATIBLE_BASE_URL && !e.OPENAI_COMPATIBLE_MODELS
      ? [
          'OPENAI_COMPATIBLE_MODELS is required with OPENAI_COMPATIBLE_BASE_URL: list the model ids it serves.',
        ]
      : []),
    ...(!e.RPC_URL && e.NODE_ENV === 'production'
      ? ['RPC_URL is required in production: the local dev chain is for development only.']
      : []),
  ]
  const roles = e.ROLES_FILE ? readRoles(e.ROLES_FILE, chainProblems) : undefined
  if (chainProblems.length) throw new ConfigError(chainProblems)
  const [firstChainId = 31337] = e.CHAIN_IDS
  const database: ServerConfig['database'] = e.DATABASE_URL
    ? {
        kind: 'postgres',
        url: e.DATABASE_URL,
        pool: {
          max: e.DATABASE_POOL_MAX,
          idleTimeoutMs: e.DATABASE_POOL_IDLE_TIMEOUT_MS,
          connectionTimeoutMs: e.DATABASE_CONNECTION_TIMEOUT_MS,
        },
      }
    : { kind: 'embedded', dataDir: join(e.DATA_DIR, 'pglite') }
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    serviceName: e.SERVICE_NAME,
    database,
    migrateOnStart: e.MIGRATE_ON_START,
    seedOnStart: e.SEED_ON_START ?? database.kind === 'embedded',
    schemaPath,
    migrationsDir,
    siwe: {
      domain: e.SIWE_DOMAIN,
      uri: e.SIWE_URI,
      chainIds: e.CHAIN_IDS,
      maxAgeMs: e.SIWE_MAX_AGE_SECONDS * 1000,
      sessionMaxMs: e.SESSION_MAX_HOURS * 3_600_000,
    },
    chain:
      e.RPC_URL && e.ACCESS_PASS_ADDRESS
        ? {
            kind: 'rpc',
            rpcUrl: e.RPC_URL,
            chainId: firstChainId,
            accessPass: e.ACCESS_PASS_ADDRESS,
          }
        : { kind: 'dev', port: e.DEV_CHAIN_PORT },
    adminAddresses: e.ADMIN_ADDRESSES,
    roles,
    trustProxy: e.TRUST_PROXY,
    ai: {
      openaiApiKey: e.OPENAI_API_KEY,
      anthropicApiKey: e.ANTHROPIC_API_KEY,
      openaiCompatible:
        e.OPENAI_COMPATIBLE_BASE_URL && e.OPENAI_COMPATIBLE_MODELS
          ? [
              {
                name: e.OPENAI_COMPATIBLE_NAME,
                baseUrl: e.OPENAI_COMPATIBLE_BASE_URL,
                apiKey: e.OPENAI_COMPATIBLE_API_KEY,
                models: e.OPENAI_COMPATIBLE_MODELS,
              },
            ]
          : [],
      dev:
        (e.DEV_PROVIDER ?? e.NODE_ENV !== 'production')
          ? { tokenDelayMs: e.DEV_TOKEN_DELAY_MS }
          : false,
      capMicroUsd: e.MAX_REQUEST_USD,
      defaultMaxTokens: e.DEFAULT_MAX_TOKENS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  }
}

// Read at start-up so a bad file stops the server with the file's problems, not a request later.
function readRoles(path: string, problems: string[]): RolesConfig | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    problems.push(
      `ROLES_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): check the path ${path}.`,
    )
    return undefined
  }
  try {
    return parseRolesConfig(JSON.parse(text))
  } catch (error) {
    if (error instanceof SyntaxError)
      problems.push(`ROLES_FILE is not valid JSON: ${error.message}`)
    else if (error instanceof InvalidInputError)
      problems.push(...error.issues.map((issue) => `ROLES_FILE: ${issue.path}: ${issue.message}`))
    else throw error
    return undefined
  }
}
