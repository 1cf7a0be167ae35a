import { afterEach, expect, test } from 'vitest'
import { defaultModelPrices } from '../db/seed/defaultModelPrices.js'
import { createProviderRegistry, type ProviderRegistry } from './createProviderRegistry.js'
import { defaultProviders } from './defaultProviders.js'

let registry: ProviderRegistry | undefined
afterEach(async () => {
  await registry?.close()
  registry = undefined
})

const ids = (parameters: Parameters<typeof defaultProviders>[0]) => {
  registry = createProviderRegistry(defaultProviders(parameters))
  return registry.list().map((model) => model.id)
}

test('with no key only the dev models exist', () => {
  expect(ids({})).toStrictEqual(['dev-mini', 'dev-pro'])
  // Empty values from `.env` count as unset.
  expect(ids({ openaiApiKey: '', anthropicApiKey: '' })).toStrictEqual(['dev-mini', 'dev-pro'])
})

test('each key adds its models; every built-in id has a seeded price', () => {
  const all = ids({ openaiApiKey: 'sk-a', anthropicApiKey: 'sk-ant-b' })
  expect(all).toStrictEqual([
    'dev-mini',
    'dev-pro',
    'gpt-4o-mini',
    'gpt-4o',
    'gpt-4.1-mini',
    'claude-3-5-haiku-latest',
    'claude-sonnet-4-0',
  ])
  expect(new Set(all)).toStrictEqual(new Set(defaultModelPrices.map((price) => price.model)))
  expect(registry?.resolve('gpt-4o').provider).toMatchObject({ name: 'openai', kind: 'openai' })
  expect(registry?.resolve('claude-sonnet-4-0').provider).toMatchObject({ kind: 'anthropic' })
  // HTTP providers come wrapped in retries, breaker and timeouts.
  expect(registry?.resolve('gpt-4o').provider).toHaveProperty('breakerState')
  expect(registry?.resolve('dev-mini').provider).not.toHaveProperty('breakerState')
})

test('OpenAI-compatible servers bring their own models; dev can be turned off', () => {
  registry = createProviderRegistry(
    defaultProviders({
      dev: false,
      resilience: false,
      openaiCompatible: [
        {
          name: 'openrouter',
          baseUrl: 'https://openrouter.ai/api/v1',
          apiKey: 'sk-or-x',
          models: [
            'mistral-small',
            { id: 'llama', providerModel: 'meta-llama/llama-3.1-8b', roles: ['pro'] },
          ],
        },
      ],
    }),
  )
  expect(registry.list()).toStrictEqual([
    {
      id: 'mistral-small',
      provider: 'openrouter',
      providerKind: 'openai-compatible',
      providerModel: 'mistral-small',
    },
    {
      id: 'llama',
      provider: 'openrouter',
      providerKind: 'openai-compatible',
      providerModel: 'meta-llama/llama-3.1-8b',
      roles: ['pro'],
    },
  ])
})

test('no model at all, or a bad base URL, is refused at start-up with the fix', () => {
  expect(() => defaultProviders({ dev: false })).toThrow(/OPENAI_API_KEY/)
  expect(() =>
    defaultProviders({
      openaiCompatible: [
        { name: 'x', baseUrl: 'https://user:secret@llm.example/v1', models: ['m'] },
      ],
    }),
  ).toThrow(
    expect.objectContaining({
      code: 'INVALID_INPUT',
      message: expect.not.stringContaining('secret'),
    }),
  )
  expect(() =>
    defaultProviders({ openaiCompatible: [{ name: 'x', baseUrl: 'llm.example', models: ['m'] }] }),
  ).toThrow(/not an http\(s\) URL/)
})
