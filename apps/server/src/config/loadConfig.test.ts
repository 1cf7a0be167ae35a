import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ConfigError } from './ConfigError.js'
import { loadConfig } from './loadConfig.js'
import { defaultDataDir } from './paths.js'

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  test('an empty environment is the embedded development setup', () => {
    expect(loadConfig({})).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 8787,
      logLevel: 'info',
      database: { kind: 'embedded', dataDir: join(defaultDataDir, 'pglite') },
      migrateOnStart: false,
      seedOnStart: true,
      siwe: { domain: ['localhost:5173'], uri: ['http://localhost:5173'], chainIds: [31337] },
      shutdownTimeoutMs: 10_000,
    })
  })

  test('DATABASE_URL selects PostgreSQL with the configured pool; empty values mean unset', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://ap:secret@db.internal:5432/accesspoint',
      DATABASE_POOL_MAX: '25',
      DATABASE_POOL_IDLE_TIMEOUT_MS: '30000',
      DATABASE_CONNECTION_TIMEOUT_MS: '2000',
      MIGRATE_ON_START: 'true',
      CHAIN_IDS: '8453,1,8453',
      PORT: '',
    })
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://ap:secret@db.internal:5432/accesspoint',
      pool: { max: 25, idleTimeoutMs: 30_000, connectionTimeoutMs: 2_000 },
    })
    expect(config.migrateOnStart).toBe(true)
    expect(config.seedOnStart).toBe(false)
    expect(config.siwe.chainIds).toEqual([8453, 1])
    expect(config.port).toBe(8787)
  })

  test.each([
    ['PORT', 'abc', 'PORT must be a whole number'],
    ['PORT', '70000', 'PORT must be at most 65535'],
    ['HOST', ' ', undefined],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of'],
    ['NODE_ENV', 'staging', 'NODE_ENV must be development, production or test'],
    ['MIGRATE_ON_START', 'yes', 'MIGRATE_ON_START must be true or false'],
    ['SIWE_DOMAIN', 'https://app.example.com', 'SIWE_DOMAIN must be a host[:port]'],
    ['SIWE_URI', 'ftp://x', 'SIWE_URI must be an http(s) URL'],
    ['CHAIN_IDS', '1;2', 'CHAIN_IDS must be comma-separated chain ids'],
    ['DATABASE_POOL_MAX', '0', 'DATABASE_POOL_MAX must be at least 1'],
    ['RPC_URL', 'localhost:8545', 'RPC_URL must be an http(s) or ws(s) JSON-RPC URL'],
    ['ADMIN_ADDRESSES', '0x12,0x34', 'ADMIN_ADDRESSES must be comma-separated 0x addresses'],
    ['SESSION_MAX_HOURS', '0', 'SESSION_MAX_HOURS must be at least 1'],
    ['SIWE_MAX_AGE_SECONDS', 'ten', 'SIWE_MAX_AGE_SECONDS must be a whole number'],
    ['DEV_CHAIN_PORT', '99999', 'DEV_CHAIN_PORT must be at most 65535'],
    ['TRUST_PROXY', 'yes please', 'TRUST_PROXY must be true, false, or comma-separated'],
    ['MAX_REQUEST_USD', '1,5', 'MAX_REQUEST_USD must be an amount in USD'],
    ['DEV_TOKEN_DELAY_MS', '-5', 'DEV_TOKEN_DELAY_MS must be a whole number'],
    ['DEV_FIRST_TOKEN_DELAY_MS', '1.5', 'DEV_FIRST_TOKEN_DELAY_MS must be a whole number'],
    ['DEV_FIRST_TOKEN_DELAY_MS', '600001', 'DEV_FIRST_TOKEN_DELAY_MS must be at most 600000'],
    [
      'OPENAI_COMPATIBLE_BASE_URL',
      'localhost:11434',
      'OPENAI_COMPATIBLE_BASE_URL must be the http(s) URL',
    ],
    ['SETTLEMENT_DELAY', '1 day', 'SETTLEMENT_DELAY must be a number of seconds or a duration'],
    ['SETTLEMENT_DELAY', '400d', 'SETTLEMENT_DELAY must be at most 365d'],
    ['SETTLEMENT_INTERVAL', 'hourly', 'SETTLEMENT_INTERVAL must be a number of seconds'],
    ['SETTLEMENT_INTERVAL', '30d', 'SETTLEMENT_INTERVAL must be at most 7d'],
    ['SETTLEMENT_CONFIRMATIONS', '0', 'SETTLEMENT_CONFIRMATIONS must be at least 1'],
    ['SETTLEMENT_PRIVATE_KEY', '0x1234', 'SETTLEMENT_PRIVATE_KEY must be a 0x-prefixed 32-byte'],
    ['SETTLEMENT_FROM_BLOCK', '-1', 'SETTLEMENT_FROM_BLOCK must be a block number'],
    ['HOLD_TTL', '500ms', 'HOLD_TTL must be at least 1s'],
    ['HOLD_TTL', '2d', 'HOLD_TTL must be at most 1d'],
  ])('%s=%j is refused with a message naming it', (name, value, message) => {
    const problems = problemsOf({ [name]: value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(message ?? name)
  })

  test('several sign-in origins, comma-separated; the first is the one clients use', () => {
    expect(
      loadConfig({
        SIWE_DOMAIN: 'app.example.com,www.app.example.com',
        SIWE_URI: 'https://app.example.com,https://www.app.example.com',
      }).siwe,
    ).toMatchObject({
      domain: ['app.example.com', 'www.app.example.com'],
      uri: ['https://app.example.com', 'https://www.app.example.com'],
    })
    expect(problemsOf({ SIWE_URI: 'https://app.example.com,app' })[0]).toContain(
      'SIWE_URI must be an http(s) URL',
    )
  })

  test.each([
    ['true', true],
    ['10.0.0.0/8,127.0.0.1', '10.0.0.0/8,127.0.0.1'],
  ] as const)('TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(expected)
  })

  test('AI providers: the dev provider by default, keys never echoed, compatible servers need models', () => {
    expect(loadConfig({}).ai).toEqual({
      openaiApiKey: undefined,
      anthropicApiKey: undefined,
      openaiCompatible: [],
      dev: { tokenDelayMs: 20, firstTokenDelayMs: 0 },
      capMicroUsd: 1_000_000n,
      defaultMaxTokens: 1024,
    })
    expect(loadConfig({ DEV_TOKEN_DELAY_MS: '0', DEV_FIRST_TOKEN_DELAY_MS: '50' }).ai.dev).toEqual({
      tokenDelayMs: 0,
      firstTokenDelayMs: 50,
    })
    expect(loadConfig({ MAX_REQUEST_USD: '0.25' }).ai.capMicroUsd).toBe(250_000n)
    expect(loadConfig({ HOLD_TTL: '30s' }).ai.holdTtlMs).toBe(30_000)
    expect(
      problemsOf({
        OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1',
        OPENAI_API_KEY: 'sk-secret',
      }),
    ).toEqual([
      'OPENAI_COMPATIBLE_MODELS is required with OPENAI_COMPATIBLE_BASE_URL: list the model ids it serves.',
    ])
    expect(
      loadConfig({
        OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1',
        OPENAI_COMPATIBLE_NAME: 'ollama',
        OPENAI_COMPATIBLE_MODELS: 'llama3.1:8b,qwen2.5',
      }).ai.openaiCompatible,
    ).toEqual([
      {
        name: 'ollama',
        baseUrl: 'http://127.0.0.1:11434/v1',
        apiKey: undefined,
        models: ['llama3.1:8b', 'qwen2.5'],
      },
    ])
  })

  test('without RPC_URL development starts the dev chain; production refuses to', () => {
    expect(loadConfig({}).chain).toEqual({ kind: 'dev', port: 8545 })
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'RPC_URL is required in production: the local dev chain is for development only.',
    ])
  })

  test('RPC_URL needs ACCESS_PASS_ADDRESS and takes the first of CHAIN_IDS', () => {
    expect(problemsOf({ RPC_URL: 'https://rpc.example.com/key' })[0]).toContain(
      'ACCESS_PASS_ADDRESS is required with RPC_URL',
    )
    const pass = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
    const config = loadConfig({
      RPC_URL: 'https://rpc.example.com/key',
      ACCESS_PASS_ADDRESS: pass,
      CHAIN_IDS: '8453,1',
      ADMIN_ADDRESSES: `${pass},0x70997970C51812dc3A010C7d01b50e0d17dc79C8`,
      SESSION_MAX_HOURS: '2',
    })
    expect(config.chain).toEqual({
      kind: 'rpc',
      rpcUrl: 'https://rpc.example.com/key',
      chainId: 8453,
      accessPass: pass,
    })
    expect(config.adminAddresses).toHaveLength(2)
    expect(config.siwe.sessionMaxMs).toBe(2 * 3_600_000)
  })

  describe('settlement', () => {
    const rpc = {
      RPC_URL: 'https://rpc.example.com/key',
      ACCESS_PASS_ADDRESS: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    }
    const key = `0x${'ab'.repeat(32)}` as const

    test('on the dev chain: daily, hourly, 1 confirmation, anvil account 0 settles', () => {
      expect(loadConfig({}).settlement).toEqual({
        delayMs: 24 * 3_600_000,
        intervalMs: 3_600_000,
        confirmations: 1,
        privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
        devKey: true,
        fromBlock: undefined,
      })
    })

    test.each([
      ['0', 0],
      ['90', 90_000],
      ['90s', 90_000],
      ['1500ms', 1_500],
      ['30m', 1_800_000],
      ['24h', 86_400_000],
      ['7d', 604_800_000],
    ])('SETTLEMENT_DELAY=%s is %d ms', (value, ms) => {
      expect(loadConfig({ SETTLEMENT_DELAY: value }).settlement.delayMs).toBe(ms)
    })

    test.each([
      ['off', 0],
      ['0', 0],
      ['15m', 900_000],
    ])('SETTLEMENT_INTERVAL=%s is %d ms', (value, ms) => {
      expect(loadConfig({ SETTLEMENT_INTERVAL: value }).settlement.intervalMs).toBe(ms)
    })

    test('on RPC_URL: 3 confirmations and the configured key, never echoed', () => {
      expect(
        loadConfig({ ...rpc, SETTLEMENT_PRIVATE_KEY: key, SETTLEMENT_FROM_BLOCK: '1200' })
          .settlement,
      ).toMatchObject({ confirmations: 3, privateKey: key, devKey: false, fromBlock: 1200n })
      const problems = problemsOf({ SETTLEMENT_PRIVATE_KEY: `${key}00` })
      expect(problems.join('\n')).not.toContain(key)
    })

    test('on RPC_URL without a key: off in development, refused in production and when asked for', () => {
      expect(loadConfig(rpc).settlement.privateKey).toBeUndefined()
      const fix =
        "SETTLEMENT_PRIVATE_KEY is required to settle on RPC_URL's chain: set it to the key of an account with the AccessPass BILLING_ROLE, or SETTLEMENT_INTERVAL=off to run without settling."
      expect(problemsOf({ ...rpc, NODE_ENV: 'production' })).toEqual([fix])
      expect(problemsOf({ ...rpc, SETTLEMENT_INTERVAL: '1h' })).toEqual([fix])
      expect(
        loadConfig({ ...rpc, NODE_ENV: 'production', SETTLEMENT_INTERVAL: 'off' }).settlement,
      ).toMatchObject({ intervalMs: 0, privateKey: undefined })
    })
  })

  describe('ROLES_FILE', () => {
    let dir: string
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ap-roles-'))
    })
    afterAll(() => rm(dir, { recursive: true, force: true }))
    const write = async (name: string, text: string) => {
      await writeFile(join(dir, name), text)
      return join(dir, name)
    }

    test('is read and validated at start-up', async () => {
      const path = await write(
        'roles.json',
        JSON.stringify({
          holder: {
            type: 'erc721',
            chainId: 8453,
            contract: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
          },
          admin: { type: 'allowlist', addresses: ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8'] },
        }),
      )
      expect(Object.keys(loadConfig({ ROLES_FILE: path }).roles ?? {})).toEqual(['holder', 'admin'])
    })

    test.each([
      ['a missing file', null, 'ROLES_FILE cannot be read (ENOENT)'],
      ['bad JSON', '{ holder: ', 'ROLES_FILE is not valid JSON'],
      [
        'a bad rule',
        '{ "holder": { "type": "erc721", "chainId": 1, "contract": "0x12" } }',
        'ROLES_FILE: holder',
      ],
    ])('%s is a configuration error naming ROLES_FILE', async (_name, text, message) => {
      const path = text === null ? join(dir, 'missing.json') : await write('bad.json', text)
      expect(problemsOf({ ROLES_FILE: path })[0]).toContain(message)
    })
  })

  test('REDIS_URL turns on shared state with a per-deployment key prefix; unset keeps it in-process', () => {
    expect(loadConfig({}).redis).toBeUndefined()
    expect(loadConfig({ REDIS_URL: '' }).redis).toBeUndefined()
    expect(loadConfig({ REDIS_URL: 'redis://:pw@cache.internal:6379/2' }).redis).toEqual({
      url: 'redis://:pw@cache.internal:6379/2',
      keyPrefix: 'accesspoint:',
    })
    expect(
      loadConfig({ REDIS_URL: 'rediss://cache.internal:6380', REDIS_KEY_PREFIX: 'ap:prod:' }).redis,
    ).toEqual({ url: 'rediss://cache.internal:6380', keyPrefix: 'ap:prod:' })
  })

  test.each([
    ['http://cache:6379', 'REDIS_URL must be a Redis URL like redis://'],
    ['cache.internal:6379', 'Unset it to keep shared state in-process'],
  ])('REDIS_URL=%s is refused with the fix, without echoing it', (value, message) => {
    const problems = problemsOf({ REDIS_URL: value.replace('cache', 'user:hunter2@cache') })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(message)
    expect(problems[0]).not.toContain('hunter2')
  })

  test('request rate limits are requests/seconds; unset keeps the server defaults', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      perWallet: undefined,
      perApiKey: undefined,
      perIp: undefined,
      byRole: undefined,
    })
    expect(
      loadConfig({
        RATE_LIMIT_PER_WALLET: '600/60',
        RATE_LIMIT_PER_API_KEY: '10/1',
        RATE_LIMIT_PER_IP: '5000/3600',
        RATE_LIMIT_BY_ROLE: 'admin=60000/60,holder=100/1',
      }).rateLimits,
    ).toEqual({
      perWallet: { points: 600, windowSeconds: 60 },
      perApiKey: { points: 10, windowSeconds: 1 },
      perIp: { points: 5000, windowSeconds: 3600 },
      byRole: {
        admin: { points: 60000, windowSeconds: 60 },
        holder: { points: 100, windowSeconds: 1 },
      },
    })
  })

  test('RATE_LIMIT_BY_ROLE names only roles that exist', () => {
    expect(problemsOf({ RATE_LIMIT_BY_ROLE: 'vip=10/1' })).toEqual([
      'RATE_LIMIT_BY_ROLE names the role "vip", which is not defined: the roles are holder, admin (the defaults; define others in ROLES_FILE).',
    ])
  })

  test.each([
    [
      'RATE_LIMIT_PER_WALLET',
      '600',
      'RATE_LIMIT_PER_WALLET must be requests/seconds, e.g. RATE_LIMIT_PER_WALLET=12000/60',
    ],
    ['RATE_LIMIT_PER_API_KEY', '600/min', 'RATE_LIMIT_PER_API_KEY must be requests/seconds'],
    ['RATE_LIMIT_PER_IP', '0/60', 'RATE_LIMIT_PER_IP needs at least 1 request'],
    ['RATE_LIMIT_PER_IP', '10/0', 'a window of 1 to 86400 s, e.g. RATE_LIMIT_PER_IP=24000/60'],
    ['RATE_LIMIT_BY_ROLE', 'admin:100/1', 'must be comma-separated role=requests/seconds'],
    ['RATE_LIMIT_BY_ROLE', 'admin=100/1,', 'must be comma-separated role=requests/seconds'],
    ['RATE_LIMIT_BY_ROLE', 'admin=0/1', 'needs at least 1 request and a window of 1 to 86400 s'],
  ])('%s=%s is refused with the fix', (name, value, message) => {
    const problems = problemsOf({ [name]: value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(message)
    // Names with KEY are never echoed (they usually hold secrets); the others show the value.
    if (!name.endsWith('_KEY')) expect(problems[0]).toContain(`(got "${value}")`)
  })

  test('tracing: off by default, on with an OTLP endpoint, off again with OTEL_SDK_DISABLED', () => {
    expect(loadConfig({}).tracing).toBeUndefined()
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toEqual({
      url: 'http://collector:4318/v1/traces',
      serviceName: 'accesspoint',
    })
    // The traces endpoint is used as is, and wins over the base one.
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp/v1/traces',
        OTEL_SERVICE_NAME: 'gateway-eu',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      }).tracing,
    ).toEqual({ url: 'https://traces.example.com/otlp/v1/traces', serviceName: 'gateway-eu' })
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_SDK_DISABLED: 'true',
      }).tracing,
    ).toBeUndefined()
  })

  test('tracing: a bad endpoint or a gRPC protocol is refused with the fix, endpoints never echoed', () => {
    const problems = problemsOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://user:hunter2@collector:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    })
    expect(problems).toHaveLength(3)
    expect(problems.join('\n')).toContain(
      'OTEL_EXPORTER_OTLP_ENDPOINT must be the http(s) base URL of an OTLP/HTTP collector',
    )
    expect(problems.join('\n')).toContain('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be the full')
    expect(problems.join('\n')).toContain(
      'OTEL_EXPORTER_OTLP_PROTOCOL must be http/json or http/protobuf',
    )
    expect(problems.join('\n')).not.toContain('hunter2')
  })

  test('REDIS_KEY_PREFIX is validated', () => {
    expect(problemsOf({ REDIS_KEY_PREFIX: 'has space' })[0]).toContain(
      'REDIS_KEY_PREFIX must be 1-64 letters',
    )
  })

  test('every bad variable is reported at once, and secrets are never echoed', () => {
    const problems = problemsOf({ PORT: '-1', DATABASE_URL: 'mysql://root:hunter2@db/x' })
    expect(problems).toHaveLength(2)
    expect(problems.join('\n')).toContain('DATABASE_URL must be a PostgreSQL URL')
    expect(problems.join('\n')).not.toContain('hunter2')
  })

  test('the error message lists the problems and where to look', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'x' })
      } catch (e) {
        return e as ConfigError
      }
    })()
    expect(error?.code).toBe('INVALID_INPUT')
    expect(error?.message).toContain('Invalid configuration.')
    expect(error?.message).toContain(
      'PORT must be a whole number. Set it to a free TCP port, e.g. PORT=8787. (got "x")',
    )
    expect(error?.message).toContain('.env.example')
  })
})
