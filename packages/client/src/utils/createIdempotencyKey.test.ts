import { afterEach, expect, test, vi } from 'vitest'
import { createIdempotencyKey } from './createIdempotencyKey.js'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

afterEach(() => {
  vi.unstubAllGlobals()
})

test('a fresh UUID each call', () => {
  const keys = new Set(Array.from({ length: 100 }, createIdempotencyKey))
  expect(keys.size).toBe(100)
  for (const key of keys) expect(key).toMatch(uuid)
})

test('without randomUUID (insecure context), still a v4 UUID', () => {
  const { getRandomValues } = globalThis.crypto
  vi.stubGlobal('crypto', { getRandomValues: getRandomValues.bind(globalThis.crypto) })
  expect(createIdempotencyKey()).toMatch(uuid)
})
