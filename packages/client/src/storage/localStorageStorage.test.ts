import { afterEach, expect, test, vi } from 'vitest'
import { localStorageStorage } from './localStorageStorage.js'

function fakeWebStorage() {
  const values = new Map<string, string>()
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  }
}

afterEach(() => {
  vi.unstubAllGlobals()
})

test('uses globalThis.localStorage', () => {
  const webStorage = fakeWebStorage()
  vi.stubGlobal('localStorage', webStorage)
  const storage = localStorageStorage()
  storage.set('k', 'v')
  expect(webStorage.getItem('k')).toBe('v')
  expect(storage.get('k')).toBe('v')
  storage.remove('k')
  expect(storage.get('k')).toBeNull()
})

test('or the storage it is given', () => {
  const webStorage = fakeWebStorage()
  localStorageStorage({ storage: webStorage }).set('k', 'v')
  expect(webStorage.getItem('k')).toBe('v')
})

test('without localStorage (SSR) or when it throws, it stores nothing and never throws', () => {
  vi.stubGlobal('localStorage', undefined)
  const missing = localStorageStorage()
  expect(() => missing.set('k', 'v')).not.toThrow()
  expect(missing.get('k')).toBeUndefined()

  const throwing = localStorageStorage({
    storage: {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => {
        throw new Error('SecurityError')
      },
    },
  })
  expect(() => throwing.set('k', 'v')).not.toThrow()
  expect(throwing.get('k')).toBeUndefined()
  expect(() => throwing.remove('k')).not.toThrow()
})
