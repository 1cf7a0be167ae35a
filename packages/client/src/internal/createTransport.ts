// The only place that knows the server's router; `import type` keeps all server code out.
import type { AppRouter } from '@accesspoint/server'
import {
  createTRPCClient,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client'
import superjson from 'superjson'
import type { Address, LocalAccount, WalletClient } from 'viem'
import type { BaseError } from '../errors/base.js'
import {
  SignerRequiredError,
  SignInRequiredError,
  UnsupportedRuntimeError,
} from '../errors/client.js'
import { SessionExpiredError } from '../errors/server.js'
import type { SessionStorage } from '../storage/types.js'
import type { Fetch } from '../types.js'
import {
  defaultRetryOptions,
  getRetryDelay,
  type ResolvedRetryOptions,
  type RetryOptions,
} from '../utils/getRetryDelay.js'
import { isRetryableError } from '../utils/isRetryableError.js'
import { sleep } from '../utils/sleep.js'
import { toClientError } from '../utils/toClientError.js'
import {
  createSessionManager,
  type SessionManager,
  type StoredSession,
} from './createSessionManager.js'
import {
  type EventSourceConstructor,
  type ResolvedEventSource,
  resolveEventSource,
} from './resolveEventSource.js'
import { signInWithEthereum } from './signInWithEthereum.js'

export type CreateTransportParameters = {
  url: string
  account?: LocalAccount | undefined
  walletClient?: WalletClient | undefined
  apiKey?: string | undefined
  storage: SessionStorage
  fetch?: Fetch | undefined
  chainId?: number | undefined
  statement?: string | undefined
  retry: RetryOptions | false
  sessionMarginMs: number
  autoSignIn: boolean
  EventSource?: EventSourceConstructor | undefined
  streamAuth: 'header' | 'connectionParams'
  reconnectTimeoutMs: number
}

/** Who a call needs: nobody, any caller (API key or session), or a wallet session. */
export type Auth = 'none' | 'caller' | 'session'

export type Credential = { kind: 'apiKey' | 'session'; token: string }

/** The options each tRPC call gets: the bearer token travels in the operation's context. */
export type CallOptions = {
  signal?: AbortSignal
  context: { token?: string | undefined }
}

export type CallParameters = {
  auth: Auth
  /** Whether a transient failure may be tried again: only for calls that are safe to repeat. */
  retry: boolean | ((error: BaseError) => boolean)
  signal?: AbortSignal | undefined
}

export type Transport = {
  /** The server's base URL, without a trailing slash. */
  url: string
  address: Address | undefined
  apiKey: string | undefined
  sessions: SessionManager | undefined
  retry: ResolvedRetryOptions | false
  reconnectTimeoutMs: number
  trpc(): Promise<TRPCClient<AppRouter>>
  credential(auth: Exclude<Auth, 'none'>): Promise<Credential>
  /**
   * Runs one tRPC call with the caller's credential; signs in again once if the server lost the
   * session; retries transient failures with backoff, honouring `Retry-After`; throws typed errors.
   */
  call<T>(
    run: (trpc: TRPCClient<AppRouter>, options: CallOptions) => Promise<T>,
    parameters: CallParameters,
  ): Promise<T>
  /**
   * After a failed call: when `error` says the server no longer knows the session, forgets it and
   * tells whether to go again with a new sign-in (only with `autoSignIn`; a dapp gets the error
   * and asks its user instead of a surprise wallet prompt).
   */
  renewAfter(credential: Credential | undefined, error: unknown): Promise<boolean>
  /** Whether `error` means the server no longer knows the session. */
  isSessionLost(error: unknown): boolean
}

const sessionLostCodes = new Set(['SESSION_EXPIRED', 'UNAUTHENTICATED'])

export function createTransport(parameters: CreateTransportParameters): Transport {
  const { account, walletClient, apiKey, storage, chainId, statement } = parameters
  const url = parameters.url.replace(/\/+$/, '')
  const fetchFn: Fetch = parameters.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const retry: ResolvedRetryOptions | false =
    parameters.retry === false
      ? false
      : {
          attempts: parameters.retry.attempts ?? defaultRetryOptions.attempts,
          baseDelayMs: parameters.retry.baseDelayMs ?? defaultRetryOptions.baseDelayMs,
          maxDelayMs: parameters.retry.maxDelayMs ?? defaultRetryOptions.maxDelayMs,
        }
  const hasSigner = Boolean(account || walletClient)
  let addressPromise: Promise<Address> | undefined

  function getAddress(): Promise<Address> {
    const known = account?.address ?? walletClient?.account?.address
    if (known) return Promise.resolve(known)
    if (!walletClient) return Promise.reject(new SignerRequiredError())
    addressPromise ??= walletClient.getAddresses().then((addresses) => {
      const [first] = addresses
      if (!first) {
        addressPromise = undefined
        throw new SignerRequiredError({
          reason: 'The wallet client has no connected account: connect the wallet first.',
        })
      }
      return first
    })
    return addressPromise
  }

  async function signMessage(message: string, address: Address) {
    if (account) return account.signMessage({ message })
    if (!walletClient) throw new SignerRequiredError()
    return walletClient.signMessage({ account: walletClient.account ?? address, message })
  }

  const transport: Transport = {
    url,
    address: account?.address ?? walletClient?.account?.address,
    apiKey,
    sessions: undefined,
    retry,
    reconnectTimeoutMs: parameters.reconnectTimeoutMs,
    trpc: () => {
      trpcPromise ??= resolveEventSource(parameters.EventSource).then(
        (eventSource) => createClient(eventSource),
        // The stream calls surface this; every other call works without an EventSource.
        (error: unknown) => createClient(undefined, error),
      )
      return trpcPromise
    },
    async credential(auth) {
      const sessions = transport.sessions
      if (auth === 'caller' && apiKey) return { kind: 'apiKey', token: apiKey }
      if (!sessions)
        throw new SignerRequiredError(
          apiKey
            ? {
                reason:
                  'This needs a wallet session: API keys cannot manage keys or sessions. Pass `account` or `walletClient`.',
              }
            : {},
        )
      if (parameters.autoSignIn) return { kind: 'session', token: (await sessions.get()).token }
      const state = await sessions.state()
      if (state.status === 'active') return { kind: 'session', token: state.session.token }
      // Said without a request: the app shows "sign in" or "your session expired".
      if (state.status === 'expired')
        throw new SessionExpiredError({
          message: 'Your session is over: sign in again.',
          status: 401,
        })
      throw new SignInRequiredError()
    },
    isSessionLost: (error) =>
      typeof error === 'object' &&
      error !== null &&
      'code' in error &&
      sessionLostCodes.has(String(error.code)),
    async renewAfter(credential, error) {
      if (credential?.kind !== 'session' || !transport.isSessionLost(error)) return false
      // Signed out elsewhere, revoked by an admin, or expired early.
      await transport.sessions?.invalidate(credential.token)
      return parameters.autoSignIn
    },
    async call(run, { auth, retry: mayRetry, signal }) {
      const trpc = await transport.trpc()
      let retries = 0
      let renewed = false
      for (;;) {
        signal?.throwIfAborted()
        // Credential failures (a refused signature, a failed sign-in) are not retried here:
        // the sign-in retries what it safely can, and a retry here would ask for a new signature.
        const credential = auth === 'none' ? undefined : await transport.credential(auth)
        try {
          const context = { token: credential?.token }
          return await run(trpc, signal ? { signal, context } : { context })
        } catch (thrown) {
          if (signal?.aborted) throw signal.reason
          const error = toClientError({ error: thrown, url })
          if (!renewed && (await transport.renewAfter(credential, error))) {
            renewed = true
            continue
          }
          if (!retry || !isRetryableError(error)) throw error
          const baseError = error as BaseError & { retryAfterMs?: number | undefined }
          if (typeof mayRetry === 'function' ? !mayRetry(baseError) : !mayRetry) throw error
          const delay = getRetryDelay({
            ...retry,
            retry: retries,
            retryAfterMs: baseError.retryAfterMs,
          })
          if (delay === undefined) throw error
          retries++
          await sleep(delay, signal)
        }
      }
    },
  }

  if (hasSigner)
    transport.sessions = createSessionManager({
      url,
      storage,
      marginMs: parameters.sessionMarginMs,
      getAddress,
      signIn: async (address): Promise<StoredSession> =>
        signInWithEthereum({
          transport,
          address,
          signMessage: (message) => signMessage(message, address),
          chainId,
          walletChainId: walletClient
            ? () => walletClient.getChainId().catch(() => undefined)
            : undefined,
          statement,
        }),
    })

  let trpcPromise: Promise<TRPCClient<AppRouter>> | undefined

  function createClient(
    eventSource: ResolvedEventSource | undefined,
    eventSourceError?: unknown,
  ): TRPCClient<AppRouter> {
    const trpcUrl = `${url}/trpc`
    const authorization = (token: unknown) =>
      typeof token === 'string' ? `Bearer ${token}` : undefined
    const sendsHeaders = eventSource?.sendsHeaders ?? true
    const inParams = parameters.streamAuth === 'connectionParams'
    const unusable =
      eventSourceError ??
      (!sendsHeaders && !inParams
        ? new UnsupportedRuntimeError(
            "This runtime's EventSource cannot send the Authorization header, and the server reads the token only from that header.",
            {
              cause: new Error(
                "Pass `EventSource` from the `eventsource` package (it streams over fetch, in browsers too), or `streamAuth: 'connectionParams'` for a server that reads tRPC connection params.",
              ),
            },
          )
        : undefined)
    return createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({
            url: trpcUrl,
            transformer: superjson,
            // Without a usable EventSource, streams fail with the reason when they start.
            EventSource:
              eventSource && !unusable
                ? eventSource.EventSource
                : (class {
                    constructor() {
                      throw unusable
                    }
                  } as unknown as EventSourceConstructor),
            // A header-capable EventSource fetches through us, so the token never enters a URL.
            eventSourceOptions: ({ op }) =>
              sendsHeaders
                ? {
                    fetch: (input: string | URL, init?: RequestInit) => {
                      const headers = new Headers(init?.headers)
                      const value = authorization(op.context.token)
                      if (value && !inParams) headers.set('authorization', value)
                      return fetchFn(input, { ...init, headers })
                    },
                  }
                : {},
            // Otherwise the token can only go in the URL, as tRPC connection params, which the
            // server must read (it does not yet: it reads only the Authorization header).
            ...(inParams
              ? {
                  connectionParams: async () => {
                    const { token } = await transport.credential('caller')
                    return { authorization: `Bearer ${token}` }
                  },
                }
              : {}),
          }),
          // One HTTP request per call (not batched): a slow completion never holds up a quick
          // balance read, and each answer keeps its own status and Retry-After header.
          false: httpLink({
            url: trpcUrl,
            transformer: superjson,
            // tRPC's init type is a loose RequestInit look-alike; it is a RequestInit at runtime.
            fetch: (input, init) => fetchFn(input, init as RequestInit),
            headers: ({ op }) => {
              const value = authorization(op.context.token)
              return value ? { authorization: value } : {}
            },
          }),
        }),
      ],
    })
  }

  return transport
}
