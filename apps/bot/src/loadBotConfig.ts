import { devAccounts } from '@accesspoint/contracts'
import { z } from 'zod'

const count = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `${name} must be a whole number.` })
    .transform(Number)
    .pipe(z.number().min(0).max(max))

const schema = z.object({
  ACCESSPOINT_URL: z
    .url({ error: 'ACCESSPOINT_URL must be the server URL, e.g. http://127.0.0.1:8787.' })
    .default('http://127.0.0.1:8787'),
  PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, { error: 'PRIVATE_KEY must be a 0x-prefixed 32-byte hex key.' })
    .optional(),
  REQUESTS: count('REQUESTS', 10_000_000).default(1000),
  CONCURRENCY: count('CONCURRENCY', 10_000).default(16),
  STREAM_EVERY: count('STREAM_EVERY', 10_000_000).default(10),
  MODEL: z.string().min(1).default('dev-mini'),
  MAX_TOKENS: count('MAX_TOKENS', 128_000).default(16),
  SESSION_FILE: z.string().min(1).default('.data/bot-session.json'),
})

export type BotConfig = {
  url: string
  privateKey: `0x${string}`
  /** True when no PRIVATE_KEY was given and anvil's account 1 (public dev key) is used. */
  devKey: boolean
  requests: number
  concurrency: number
  streamEvery: number
  model: string
  maxTokens: number
  sessionFile: string
}

/** The bot's settings from the environment; throws one message naming every bad variable. */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const defined = Object.fromEntries(
    Object.keys(schema.shape).flatMap((key) => (env[key] ? [[key, env[key]]] : [])),
  )
  const parsed = schema.safeParse(defined)
  if (!parsed.success)
    throw new Error(
      `Invalid bot configuration:\n${parsed.error.issues.map((issue) => `- ${issue.message}`).join('\n')}`,
    )
  const e = parsed.data
  const devKey = devAccounts[1]?.privateKey
  if (!e.PRIVATE_KEY && !devKey) throw new Error('Set PRIVATE_KEY.')
  return {
    url: e.ACCESSPOINT_URL.replace(/\/$/, ''),
    privateKey: (e.PRIVATE_KEY ?? devKey) as `0x${string}`,
    devKey: !e.PRIVATE_KEY,
    requests: e.REQUESTS,
    concurrency: Math.max(1, e.CONCURRENCY),
    streamEvery: e.STREAM_EVERY,
    model: e.MODEL,
    maxTokens: Math.max(1, e.MAX_TOKENS),
    sessionFile: e.SESSION_FILE,
  }
}
