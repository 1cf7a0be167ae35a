import { expect, test } from 'vitest'
import { createDevProvider } from './createDevProvider.js'
import { createProviderRegistry } from './createProviderRegistry.js'
import type { Provider } from './types.js'

const dev = createDevProvider({ tokenDelayMs: 0 })
const other: Provider = { name: 'other', kind: 'openai-compatible', stream: dev.stream }

const registry = createProviderRegistry({
  providers: [dev, other],
  models: [
    { id: 'dev-mini', provider: 'dev' },
    { id: 'dev-pro', provider: 'dev', roles: ['pro'] },
    { id: 'llama', provider: 'other', providerModel: 'meta-llama/llama-3.1-8b-instruct' },
  ],
})

test('resolve returns the model, its provider and the provider-side id', () => {
  const resolved = registry.resolve('llama')
  expect(resolved.provider).toBe(other)
  expect(resolved.providerModel).toBe('meta-llama/llama-3.1-8b-instruct')
  expect(resolved.model).toStrictEqual({
    id: 'llama',
    provider: 'other',
    providerKind: 'openai-compatible',
    providerModel: 'meta-llama/llama-3.1-8b-instruct',
  })
  expect(resolved.roles).toBeUndefined()
  expect(registry.resolve('dev-pro')).toMatchObject({ providerModel: 'dev-pro', roles: ['pro'] })
})

test('list keeps configuration order', () => {
  expect(
    registry.list().map((model) => [model.id, model.provider, model.providerKind]),
  ).toStrictEqual([
    ['dev-mini', 'dev', 'dev'],
    ['dev-pro', 'dev', 'dev'],
    ['llama', 'other', 'openai-compatible'],
  ])
  expect(registry.providers()).toStrictEqual([dev, other])
})

test('an unknown model is MODEL_NOT_FOUND listing the available ids', () => {
  let error: unknown
  try {
    registry.resolve('gpt-5')
  } catch (caught) {
    error = caught
  }
  expect(error).toMatchObject({
    name: 'ModelNotFoundError',
    code: 'MODEL_NOT_FOUND',
    status: 404,
    model: 'gpt-5',
    available: ['dev-mini', 'dev-pro', 'llama'],
  })
  expect(JSON.parse(JSON.stringify(error))).toStrictEqual({
    code: 'MODEL_NOT_FOUND',
    message: 'The requested model is not available. List the models and choose one of them.',
    details: "Model 'gpt-5' is not available. Available models: dev-mini, dev-pro, llama.",
    docsPath: '/errors#model-not-found',
  })
})

test('configuration mistakes are all reported at once', () => {
  expect(() =>
    createProviderRegistry({
      providers: [dev, dev],
      models: [
        { id: 'a', provider: 'dev' },
        { id: 'a', provider: 'dev' },
        { id: 'b', provider: 'missing' },
      ],
    }),
  ).toThrow(
    expect.objectContaining({
      code: 'INVALID_INPUT',
      issues: [
        expect.objectContaining({ path: 'providers[1].name' }),
        expect.objectContaining({ path: 'models[1].id' }),
        expect.objectContaining({ path: 'models[2].provider' }),
      ],
    }),
  )
})

test('close closes every provider that has a pool', async () => {
  const closed: string[] = []
  const closing = (name: string): Provider => ({
    name,
    kind: 'openai',
    stream: dev.stream,
    close: async () => {
      closed.push(name)
    },
  })
  await createProviderRegistry({
    providers: [closing('a'), dev, closing('b')],
    models: [],
  }).close()
  expect(closed).toStrictEqual(['a', 'b'])
})
