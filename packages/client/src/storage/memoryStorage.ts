import type { SessionStorage } from './types.js'

export type MemoryStorageReturnType = SessionStorage

/** Sessions in memory: the default, lost when the process ends or the page reloads. */
export function memoryStorage(): MemoryStorageReturnType {
  const values = new Map<string, string>()
  return {
    get: (key) => values.get(key),
    set: (key, value) => {
      values.set(key, value)
    },
    remove: (key) => {
      values.delete(key)
    },
  }
}
