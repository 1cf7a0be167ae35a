import type { SessionStorage } from './types.js'

/**
 * The parts of the Web Storage API used here (`localStorage`, `sessionStorage`), spelled out so
 * Node projects without the DOM types can compile this package too.
 */
type WebStorage = {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export type LocalStorageStorageParameters = {
  /** `globalThis.localStorage` by default; `sessionStorage` ends sessions with the tab. */
  storage?: WebStorage | undefined
}

export type LocalStorageStorageReturnType = SessionStorage

/**
 * Sessions in the browser's `localStorage`, so a reload does not ask the wallet again. Where
 * there is none (server-side rendering, a locked-down iframe) it stores nothing instead of
 * throwing: the user then signs once per page load.
 */
export function localStorageStorage(
  parameters: LocalStorageStorageParameters = {},
): LocalStorageStorageReturnType {
  const resolve = (): WebStorage | undefined => {
    if (parameters.storage) return parameters.storage
    try {
      // Reading the property itself throws where storage is blocked (sandboxed iframes, Safari).
      return (globalThis as { localStorage?: WebStorage }).localStorage ?? undefined
    } catch {
      return undefined
    }
  }
  return {
    get: (key) => {
      try {
        return resolve()?.getItem(key)
      } catch {
        return undefined
      }
    },
    set: (key, value) => {
      try {
        resolve()?.setItem(key, value)
      } catch {
        // Quota exceeded or blocked: the session still works, it just is not remembered.
      }
    },
    remove: (key) => {
      try {
        resolve()?.removeItem(key)
      } catch {
        // As in set: nothing to do when storage is unavailable.
      }
    },
  }
}
