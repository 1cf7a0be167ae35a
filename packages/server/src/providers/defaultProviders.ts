import { InvalidInputError } from '@accesspoint/core'
import { createAnthropicProvider } from './createAnthropicProvider.js'
import { type CreateDevProviderParameters, createDevProvider } from './createDevProvider.js'
import { createOpenAIProvider } from './createOpenAIProvider.js'
import type { ProviderModelConfig } from './createProviderRegistry.js'
import type { Provider } from './types.js'
import { type WithResilienceParameters, withResilience } from './withResilience.js'

export type OpenAICompatibleProviderConfig = {
  /** Provider name, e.g. `'openrouter'`; must differ from `openai`, `anthropic` and `dev`. */
  name: string
  /** Everything before `/chat/completions`, e.g. `'https://openrouter.ai/api/v1'`. */
  baseUrl: string
  apiKey?: string | undefined
  /** The models it serves: ids, or ids with the server's own name and allowed roles. */
  models: readonly (string | Omit<ProviderModelConfig, 'provider'>)[]
}

export type DefaultProvidersParameters = {
  /** Empty strings count as unset, as an empty `OPENAI_API_KEY=` line in `.env` means. */
  openaiApiKey?: string | undefined
  anthropicApiKey?: string | undefined
  openaiCompatible?: readonly OpenAICompatibleProviderConfig[] | undefined
  /**
   * The dev provider (models `dev-mini`, `dev-pro`). On by default so that development works
   * with no key; pass `false` in production once a real provider is configured.
   */
  dev?: Omit<CreateDevProviderParameters, 'name'> | false | undefined
  /** Retries, breaker and timeouts around each HTTP provider; `false` for none. @default {} */
  resilience?: WithResilienceParameters | false | undefined
}

export type DefaultProvidersReturnType = {
  providers: Provider[]
  models: ProviderModelConfig[]
}

export type DefaultProvidersErrorType = InvalidInputError

/** Model ids per built-in provider; they match `defaultModelPrices` in `db/seed`. */
export const defaultProviderModels = {
  dev: ['dev-mini', 'dev-pro'],
  openai: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'],
  anthropic: ['claude-3-5-haiku-latest', 'claude-sonnet-4-0'],
} as const

/**
 * The providers and models that follow from the keys configured: the dev models unless `dev` is
 * `false`, OpenAI's with `openaiApiKey`, Anthropic's with `anthropicApiKey`, and each
 * OpenAI-compatible server's own list. With no key at all only the dev models exist. The result
 * goes to `createProviderRegistry`, which checks it (duplicate names or ids throw there).
 *
 * Every model needs a price: the seeded price list covers the built-in ids; add prices for the
 * models of OpenAI-compatible servers.
 */
export function defaultProviders(
  parameters: DefaultProvidersParameters = {},
): DefaultProvidersReturnType {
  const {
    openaiApiKey,
    anthropicApiKey,
    openaiCompatible = [],
    dev = {},
    resilience = {},
  } = parameters
  const providers: Provider[] = []
  const models: ProviderModelConfig[] = []
  const harden = (provider: Provider) =>
    resilience === false ? provider : withResilience(provider, resilience)
  const add = (
    provider: Provider,
    ids: readonly (string | Omit<ProviderModelConfig, 'provider'>)[],
  ) => {
    providers.push(provider)
    for (const entry of ids)
      models.push(
        typeof entry === 'string'
          ? { id: entry, provider: provider.name }
          : { ...entry, provider: provider.name },
      )
  }

  if (dev !== false) add(createDevProvider({ ...dev, name: 'dev' }), defaultProviderModels.dev)
  if (openaiApiKey)
    add(harden(createOpenAIProvider({ apiKey: openaiApiKey })), defaultProviderModels.openai)
  if (anthropicApiKey)
    add(
      harden(createAnthropicProvider({ apiKey: anthropicApiKey })),
      defaultProviderModels.anthropic,
    )
  for (const config of openaiCompatible)
    add(
      harden(
        createOpenAIProvider({
          name: config.name,
          kind: 'openai-compatible',
          baseUrl: config.baseUrl,
          ...(config.apiKey ? { apiKey: config.apiKey } : {}),
        }),
      ),
      config.models,
    )

  if (models.length === 0)
    throw new InvalidInputError(
      'No AI model is configured. Set OPENAI_API_KEY or ANTHROPIC_API_KEY, add an OpenAI-compatible server, or enable the dev provider.',
    )
  return { providers, models }
}
