import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { devAccounts } from '@accesspoint/contracts'
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

const durationUnits = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

// A bare number is seconds (what tests and scripts pass); a unit makes hours and days readable.
const duration = (max: string, maxMs: number, fix: string) =>
  z
    .string()
    .regex(/^\d+(ms|s|m|h|d)?$/, {
      error: `must be a number of seconds or a duration like 90s, 30m, 24h or 7d. ${fix}`,
    })
    .transform((value) => {
      const [, amount = '0', unit = 's'] = /^(\d+)(ms|s|m|h|d)?$/.exec(value) ?? []
      return Number(amount) * durationUnits[unit as keyof typeof durationUnits]
    })
    .pipe(z.number().max(maxMs, { error: `must be at most ${max}. ${fix}` }))

// `points/seconds`: so many requests per window, e.g. 600/60 (600 a minute).
const rateLimit = (name: string, example: string) =>
  z
    .string()
    .regex(/^\d{1,9}\/\d{1,6}$/, {
      error: `must be requests/seconds, e.g. ${name}=${example} (${example.split('/')[0]} requests per ${example.split('/')[1]} s).`,
    })
    .transform((value) => {
      const [points = 0, windowSeconds = 0] = value.split('/').map(Number)
      return { points, windowSeconds }
    })
    .refine((rule) => rule.points >= 1 && rule.windowSeconds >= 1 && rule.windowSeconds <= 86_400, {
      error: `needs at least 1 request and a window of 1 to 86400 s, e.g. ${name}=${example}.`,
    })

const address = (what: string) =>
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, { error: `must be the 0x address of ${what}.` })
    .transform((value) => value as `0x${string}`)

const otlpProtocol = (name: string) =>
  z.enum(['http/json', 'http/protobuf'], {
    error: `must be http/json or http/protobuf: this server exports traces over OTLP/HTTP (as JSON), not gRPC. Point OTEL_EXPORTER_OTLP_ENDPOINT at the collector's HTTP port (usually 4318) and set ${name}=http/json or unset it.`,
  })

// Anvil account 0: the dev chain grants it BILLING_ROLE. A public test key, dev chain only.
const devBillingKey = devAccounts[0].privateKey

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
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, {
      error:
        'must be a Redis URL like redis://:password@127.0.0.1:6379/0 (rediss:// for TLS). Unset it to keep shared state in-process (one instance).',
    })
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:._-]{1,64}$/, {
      error:
        'must be 1-64 letters, digits or :._- e.g. REDIS_KEY_PREFIX=accesspoint:prod: (one per deployment sharing a Redis).',
    })
    .default('accesspoint:'),
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
  // Request rate limits (authenticated tRPC and /v1); unset: the server's defaults.
  RATE_LIMIT_PER_WALLET: rateLimit('RATE_LIMIT_PER_WALLET', '12000/60').optional(),
  RATE_LIMIT_PER_API_KEY: rateLimit('RATE_LIMIT_PER_API_KEY', '6000/60').optional(),
  RATE_LIMIT_PER_IP: rateLimit('RATE_LIMIT_PER_IP', '24000/60').optional(),
  // role=requests/seconds,...: a role's rule replaces the wallet and key defaults.
  RATE_LIMIT_BY_ROLE: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+=\d{1,9}\/\d{1,6}(,[A-Za-z0-9_.:-]+=\d{1,9}\/\d{1,6})*$/, {
      error:
        'must be comma-separated role=requests/seconds, e.g. RATE_LIMIT_BY_ROLE=admin=60000/60,partner=100/1.',
    })
    .transform((value) =>
      Object.fromEntries(
        value.split(',').map((entry) => {
          const [role = '', rule = ''] = entry.split('=')
          const [points = 0, windowSeconds = 0] = rule.split('/').map(Number)
          return [role, { points, windowSeconds }]
        }),
      ),
    )
    .refine(
      (rules) =>
        Object.values(rules).every(
          (rule) => rule.points >= 1 && rule.windowSeconds >= 1 && rule.windowSeconds <= 86_400,
        ),
      { error: 'needs at least 1 request and a window of 1 to 86400 s for every role.' },
    )
    .optional(),
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
  // A model's time to first token, imitated (benchmarks measure what the gateway adds to it).
  DEV_FIRST_TOKEN_DELAY_MS: integer(0, 600_000, 'e.g. DEV_FIRST_TOKEN_DELAY_MS=300.').default(0),
  MAX_REQUEST_USD: z
    .string()
    .regex(/^\d+(\.\d{1,6})?$/, { error: 'must be an amount in USD like 1 or 0.25.' })
    .transform((value) => parseUsd(value))
    .default(1_000_000n),
  DEFAULT_MAX_TOKENS: integer(1, 128_000, 'e.g. DEFAULT_MAX_TOKENS=1024.').default(1024),
  // Above the longest request: a hold left by a crashed instance is released once it expires.
  HOLD_TTL: duration('1d', durationUnits.d, 'e.g. HOLD_TTL=15m (above the longest request).')
    .refine((ms) => ms >= 1_000, { error: 'must be at least 1s, above the longest request.' })
    .optional(),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, 'e.g. SHUTDOWN_TIMEOUT_MS=10000.').default(10_000),
  SETTLEMENT_DELAY: duration(
    '365d',
    365 * durationUnits.d,
    'e.g. SETTLEMENT_DELAY=24h (0 settles every charge at once).',
  ).default(24 * durationUnits.h),
  // `off` (or 0) leaves settlement to `pnpm settle` and admin.runSettlement.
  SETTLEMENT_INTERVAL: z
    .string()
    .transform((value) => (value === 'off' ? '0' : value))
    // setTimeout cannot wait longer than 2^31 - 1 ms (24.8 days).
    .pipe(duration('7d', 7 * durationUnits.d, 'e.g. SETTLEMENT_INTERVAL=1h, or off.'))
    .optional(),
  SETTLEMENT_CONFIRMATIONS: integer(
    1,
    1_000,
    'e.g. SETTLEMENT_CONFIRMATIONS=3 (blocks on top of the settlement transaction).',
  ).optional(),
  SETTLEMENT_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, {
      error:
        'must be a 0x-prefixed 32-byte hex private key (66 characters) of an account with the AccessPass BILLING_ROLE.',
    })
    .transform((value) => value as `0x${string}`)
    .optional(),
  SETTLEMENT_FROM_BLOCK: z
    .string()
    .regex(/^\d+$/, {
      error: 'must be a block number, e.g. the AccessPass deployment block. Unset it to search.',
    })
    .transform((value) => BigInt(value))
    .optional(),
  // OpenTelemetry tracing, on when an endpoint is set. The exporter reads the other standard
  // variables itself (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, OTEL_TRACES_SAMPLER, OTEL_BSP_*, ...).
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({
      protocol: /^https?$/,
      error:
        'must be the http(s) base URL of an OTLP/HTTP collector, e.g. http://127.0.0.1:4318 (traces go to /v1/traces). Unset it to turn tracing off.',
    })
    .optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .url({
      protocol: /^https?$/,
      error:
        'must be the full http(s) URL traces are posted to, e.g. http://127.0.0.1:4318/v1/traces. Unset it to use OTEL_EXPORTER_OTLP_ENDPOINT.',
    })
    .optional(),
  // Traces go out as OTLP/HTTP JSON, which every OTLP/HTTP endpoint takes; gRPC is another port.
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol('OTEL_EXPORTER_OTLP_PROTOCOL').optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL').optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('accesspoint'),
  OTEL_SDK_DISABLED: flag('Set OTEL_SDK_DISABLED=true to turn tracing off.').default(false),
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
  /**
   * Shared state across instances (sign-in rate limits, revocations and cache invalidations);
   * undefined keeps it in-process.
   */
  redis: { url: string; keyPrefix: string } | undefined
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
    dev: { tokenDelayMs: number; firstTokenDelayMs: number } | false
    capMicroUsd: bigint
    defaultMaxTokens: number
    /** Holds older than this are released (crash recovery); undefined: the server's 15 min. */
    holdTtlMs: number | undefined
  }
  /** Proxies whose X-Forwarded-For is believed (rate limits and logs use the client's IP). */
  trustProxy: boolean | string
  /** Request rate limits; an unset one keeps the server's default (12000/60, 6000/60, 24000/60). */
  rateLimits: {
    perWallet: { points: number; windowSeconds: number } | undefined
    perApiKey: { points: number; windowSeconds: number } | undefined
    perIp: { points: number; windowSeconds: number } | undefined
    /** Role name → its rule, replacing perWallet and perApiKey for wallets with the role. */
    byRole: Record<string, { points: number; windowSeconds: number }> | undefined
  }
  shutdownTimeoutMs: number
  /**
   * OpenTelemetry tracing, exported over OTLP/HTTP; undefined (no endpoint, or
   * OTEL_SDK_DISABLED=true): off, and the server's spans cost next to nothing.
   */
  tracing:
    | {
        /** Where spans are posted, e.g. `http://127.0.0.1:4318/v1/traces`. */
        url: string
        /** `service.name` of the spans' resource (OTEL_SERVICE_NAME). */
        serviceName: string
      }
    | undefined
  /** Daily on-chain settlement of the charges (see README "Settlement"). */
  settlement: {
    /** Charges captured longer ago than this are settled. */
    delayMs: number
    /** How often the server settles; 0: never on its own (CLI and admin procedure only). */
    intervalMs: number
    /** Blocks on top of a settlement transaction before its charges count as settled. */
    confirmations: number
    /**
     * The key that sends `settle` (needs BILLING_ROLE). Undefined on RPC_URL's chain without
     * SETTLEMENT_PRIVATE_KEY: settlement is then off in this process.
     */
    privateKey: `0x${string}` | undefined
    /** privateKey is anvil account 0's, the dev chain's billing account, by default. */
    devKey: boolean
    /** Where `--reconcile` starts reading logs; undefined: the contract's deployment block. */
    fromBlock: bigint | undefined
  }
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
        const secret = /URL|KEY|SECRET|TOKEN|PASSWORD|ENDPOINT/.test(name)
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
    // A production server that never settles would serve for free: asked to settle on a real
    // chain, it needs the key; SETTLEMENT_INTERVAL=off is the explicit way to leave it to others.
    ...(e.RPC_URL &&
    !e.SETTLEMENT_PRIVATE_KEY &&
    e.SETTLEMENT_INTERVAL !== 0 &&
    (e.NODE_ENV === 'production' || e.SETTLEMENT_INTERVAL !== undefined)
      ? [
          "SETTLEMENT_PRIVATE_KEY is required to settle on RPC_URL's chain: set it to the key of an account with the AccessPass BILLING_ROLE, or SETTLEMENT_INTERVAL=off to run without settling.",
        ]
      : []),
  ]
  const roles = e.ROLES_FILE ? readRoles(e.ROLES_FILE, chainProblems) : undefined
  // A rule for a role nobody can have is a typo that would silently leave the default in force.
  const roleNames = roles ? Object.keys(roles) : ['holder', 'admin']
  for (const role of Object.keys(e.RATE_LIMIT_BY_ROLE ?? {}))
    if (!roleNames.includes(role))
      chainProblems.push(
        `RATE_LIMIT_BY_ROLE names the role "${role}", which is not defined: the roles are ${roleNames.join(', ')}${roles ? ' (ROLES_FILE)' : ' (the defaults; define others in ROLES_FILE)'}.`,
      )
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
  const traces = tracesUrl(e)
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    serviceName: e.SERVICE_NAME,
    database,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } : undefined,
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
    rateLimits: {
      perWallet: e.RATE_LIMIT_PER_WALLET,
      perApiKey: e.RATE_LIMIT_PER_API_KEY,
      perIp: e.RATE_LIMIT_PER_IP,
      byRole: e.RATE_LIMIT_BY_ROLE,
    },
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
          ? { tokenDelayMs: e.DEV_TOKEN_DELAY_MS, firstTokenDelayMs: e.DEV_FIRST_TOKEN_DELAY_MS }
          : false,
      capMicroUsd: e.MAX_REQUEST_USD,
      defaultMaxTokens: e.DEFAULT_MAX_TOKENS,
      holdTtlMs: e.HOLD_TTL,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    tracing: traces ? { url: traces, serviceName: e.OTEL_SERVICE_NAME } : undefined,
    settlement: {
      delayMs: e.SETTLEMENT_DELAY,
      intervalMs: e.SETTLEMENT_INTERVAL ?? durationUnits.h,
      confirmations: e.SETTLEMENT_CONFIRMATIONS ?? (e.RPC_URL ? 3 : 1),
      privateKey: e.SETTLEMENT_PRIVATE_KEY ?? (e.RPC_URL ? undefined : devBillingKey),
      devKey: !e.RPC_URL && !e.SETTLEMENT_PRIVATE_KEY,
      fromBlock: e.SETTLEMENT_FROM_BLOCK,
    },
  }
}

// As the OTLP exporter specification resolves them: the traces endpoint as is, else the base
// endpoint plus `v1/traces`.
function tracesUrl(e: z.infer<typeof envSchema>): string | undefined {
  if (e.OTEL_SDK_DISABLED) return undefined
  if (e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT
  return base && `${base.endsWith('/') ? base : `${base}/`}v1/traces`
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
