/**
 * Where the app finds its server and chain. By default both are on this page's origin: the Vite
 * dev server and `vite preview` proxy `/trpc`, `/v1`, `/.well-known` and `/rpc` (see
 * vite.config.ts), and a production deployment puts them behind the same host.
 */
export const apiUrl: string = (import.meta.env.VITE_ACCESSPOINT_URL ?? window.location.origin)
  // The client strips trailing slashes too; the kept-session lookup must use the same URL.
  .replace(/\/+$/, '')

/** The chain's JSON-RPC endpoint (anvil through the `/rpc` proxy in development). */
export const rpcUrl: string = import.meta.env.VITE_RPC_URL ?? `${window.location.origin}/rpc`

declare global {
  interface ImportMetaEnv {
    readonly VITE_ACCESSPOINT_URL?: string
    readonly VITE_RPC_URL?: string
  }
}
