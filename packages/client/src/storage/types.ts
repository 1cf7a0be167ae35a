/**
 * Where the client keeps sessions between runs, so one signature lasts until the session
 * expires (a bot restart or a page reload signs nothing). Values are opaque strings; every
 * method may be sync or async, so `localStorage`, files, Redis or a keychain all fit.
 *
 * A stored session holds a bearer token: keep the storage as private as the wallet's use of it.
 */
export type SessionStorage = {
  get(key: string): string | null | undefined | Promise<string | null | undefined>
  set(key: string, value: string): void | Promise<void>
  remove(key: string): void | Promise<void>
}
