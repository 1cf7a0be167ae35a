import { InvalidInputError, type InvalidInputIssue } from '@accesspoint/core'
import { ModelNotFoundError } from './errors.js'
import type { Provider, ProviderKind } from './types.js'

export type ProviderModelConfig = {
  /** The id clients ask for, e.g. `'gpt-4o-mini'`; also the key of its price. */
  id: string
  /** Name of the provider that serves it. */
  provider: string
  /** The provider's own id, when it differs from `id`. @default id */
  providerModel?: string | undefined
  /** Roles allowed to use it; any role when absent. */
  roles?: readonly string[] | undefined
}

/** A configured model, as `list` and `resolve` return it. */
export type ProviderModel = {
  id: string
  provider: string
  providerKind: ProviderKind
  providerModel: string
  roles?: readonly string[] | undefined
}

export type ResolvedModel = {
  model: ProviderModel
  provider: Provider
  providerModel: string
  /** Same as `model.roles`. */
  roles?: readonly string[] | undefined
}

export type ProviderRegistry = {
  /** The model and the provider that serves it. Throws `ModelNotFoundError` for unknown ids. */
  resolve(modelId: string): ResolvedModel
  /** Every configured model, in configuration order. */
  list(): readonly ProviderModel[]
  /** Every provider, by name. */
  providers(): readonly Provider[]
  /** Closes every provider's connection pool. */
  close(): Promise<void>
}

export type CreateProviderRegistryParameters = {
  providers: readonly Provider[]
  models: readonly ProviderModelConfig[]
}

export type CreateProviderRegistryReturnType = ProviderRegistry

export type CreateProviderRegistryErrorType = InvalidInputError

/**
 * The models this server offers and the provider behind each. A configuration mistake (a model
 * listed twice, a provider that does not exist, two providers with one name) throws
 * `InvalidInputError` at start-up listing every problem, rather than failing requests later.
 *
 * `resolve` throws `ModelNotFoundError` (`MODEL_NOT_FOUND`, 404) whose `details`, which clients
 * see, list the available ids.
 */
export function createProviderRegistry({
  providers,
  models,
}: CreateProviderRegistryParameters): CreateProviderRegistryReturnType {
  const issues: InvalidInputIssue[] = []
  const byName = new Map<string, Provider>()
  for (const [index, provider] of providers.entries()) {
    if (byName.has(provider.name))
      issues.push({
        path: `providers[${index}].name`,
        message: `Provider '${provider.name}' is configured twice; give each a distinct name.`,
      })
    byName.set(provider.name, provider)
  }
  const entries = new Map<string, { model: ProviderModel; provider: Provider }>()
  for (const [index, config] of models.entries()) {
    const provider = byName.get(config.provider)
    if (!config.id) issues.push({ path: `models[${index}].id`, message: 'Give the model an id.' })
    else if (entries.has(config.id))
      issues.push({
        path: `models[${index}].id`,
        message: `Model '${config.id}' is listed twice; keep one.`,
      })
    if (!provider) {
      issues.push({
        path: `models[${index}].provider`,
        message: `Model '${config.id}' names provider '${config.provider}', which is not configured. Configured: ${[...byName.keys()].join(', ') || 'none'}.`,
      })
      continue
    }
    const model: ProviderModel = {
      id: config.id,
      provider: provider.name,
      providerKind: provider.kind,
      providerModel: config.providerModel ?? config.id,
      ...(config.roles ? { roles: config.roles } : {}),
    }
    if (!entries.has(config.id)) entries.set(config.id, { model, provider })
  }
  if (issues.length > 0)
    throw new InvalidInputError('The AI model configuration is invalid. Fix the issues below.', {
      issues,
    })

  const list = [...entries.values()].map((entry) => entry.model)
  const ids = list.map((model) => model.id)

  return {
    resolve(modelId) {
      const entry = entries.get(modelId)
      if (!entry) throw new ModelNotFoundError(undefined, { model: modelId, available: ids })
      const { model, provider } = entry
      return {
        model,
        provider,
        providerModel: model.providerModel,
        ...(model.roles ? { roles: model.roles } : {}),
      }
    },
    list: () => list,
    providers: () => [...byName.values()],
    async close() {
      await Promise.all([...byName.values()].map((provider) => provider.close?.()))
    },
  }
}
