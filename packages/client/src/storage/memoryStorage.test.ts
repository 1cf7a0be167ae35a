import { expect, test } from 'vitest'
import { memoryStorage } from './memoryStorage.js'

test('set, get, remove; instances are separate', () => {
  const storage = memoryStorage()
  expect(storage.get('a')).toBeUndefined()
  storage.set('a', '1')
  expect(storage.get('a')).toBe('1')
  expect(memoryStorage().get('a')).toBeUndefined()
  storage.remove('a')
  expect(storage.get('a')).toBeUndefined()
})
