import type { Address, LocalAccount, WalletClient } from 'viem'
import { type CompleteParameters, type CompleteReturnType, complete } from '../actions/complete.js'
import {
  type CreateApiKeyParameters,
  type CreateApiKeyReturnType,
  createApiKey,
} from '../actions/createApiKey.js'
import {
  type GetBalanceParameters,
  type GetBalanceReturnType,
  getBalance,
} from '../actions/getBalance.js'
import { type GetMeParameters, type GetMeReturnType, getMe } from '../actions/getMe.js'
import {
  type GetModelsParameters,
  type GetModelsReturnType,
  getModels,
} from '../actions/getModels.js'
import {
  type GetSessionParameters,
  type GetSessionReturnType,
  getSession,
} from '../actions/getSession.js'
import { type GetSessionStateReturnType, getSessionState } from '../actions/getSessionState.js'
import {
  type GetSpendHistoryParameters,
  type GetSpendHistoryReturnType,
  getSpendHistory,
} from '../actions/getSpendHistory.js'
import { type GetUsageParameters, type GetUsageReturnType, getUsage } from '../actions/getUsage.js'
import {
  type ListApiKeysParameters,
  type ListApiKeysReturnType,
  listApiKeys,
} from '../actions/listApiKeys.js'
import {
  type RevokeApiKeyParameters,
  type RevokeApiKeyReturnType,
  revokeApiKey,
} from '../actions/revokeApiKey.js'
import { type SignInParameters, type SignInReturnType, signIn } from '../actions/signIn.js'
import { type SignOutParameters, type SignOutReturnType, signOut } from '../actions/signOut.js'
import { type StreamParameters, type StreamReturnType, stream } from '../actions/stream.js'
import { createTransport } from '../internal/createTransport.js'
import type { EventSourceConstructor } from '../internal/resolveEventSource.js'
import { registerTransport } from '../internal/transports.js'
import { memoryStorage } from '../storage/memoryStorage.js'
import type { SessionStorage } from '../storage/types.js'
import type { Fetch } from '../types.js'
import type { RetryOptions } from '../utils/getRetryDelay.js'

export type CreateAccessPointClientParameters = {
  /** The server's base URL, e.g. `https://ai.example.com` (tRPC is served under `/trpc`). */
  url: string
  /** A viem local account (a bot's private key): signs in without prompts. */
  account?: LocalAccount | undefined
  /**
   * A viem wallet client (EIP-1193, e.g. wagmi's connector client in a dapp): the wallet asks
   * its user to sign. Create a new client when the connected account changes.
   */
  walletClient?: WalletClient | undefined
  /**
   * An API key (`ap_live_...`): calls need no signature at all. With a signer as well, the key
   * is used for everything it may do, and the wallet only for keys and sessions.
   */
  apiKey?: string | undefined
  /**
   * Where sessions are kept between runs: `memoryStorage()` (the default),
   * `localStorageStorage()` in browsers, `fileStorage(path)` from `@accesspoint/client/node`.
   */
  storage?: SessionStorage | undefined
  /** `fetch` for every request (a proxy agent, logging, tests). */
  fetch?: Fetch | undefined
  /** The chain to name in sign-in messages; by default the wallet's when accepted, else the server's first. */
  chainId?: number | undefined
  /** The statement shown in the sign-in message. */
  statement?: string | undefined
  /** Retries of transient failures, or `false` for none. @default { attempts: 3, baseDelayMs: 250, maxDelayMs: 30_000 } */
  retry?: RetryOptions | false | undefined
  /** A kept session is renewed this long before it expires. @default 300_000 (5 minutes) */
  sessionMarginMs?: number | undefined
  /**
   * Whether a call that needs a session signs in by itself when none is kept, or when the server
   * says the session is over. `true` suits bots (a local key signs silently); dapps pass `false`
   * so the wallet never asks unprompted: such calls then throw `SignInRequiredError` or the
   * server's `SessionExpiredError`, and the app offers `signIn()`. @default true
   */
  autoSignIn?: boolean | undefined
  /**
   * The `EventSource` for streams. By default the `eventsource` package, loaded by the first
   * stream in Node and browsers alike, which sends the Authorization header; the runtime's own
   * (which cannot, see `streamAuth`) only when the package cannot be loaded.
   */
  EventSource?: EventSourceConstructor | undefined
  /**
   * How a stream sends its token when the EventSource cannot send headers (a browser's own, as
   * a fallback):
   * `'header'` fails such streams with an explanation; `'connectionParams'` puts the token in
   * the URL as tRPC connection params, for a server that reads them. @default 'header'
   */
  streamAuth?: 'header' | 'connectionParams' | undefined
  /** A stream whose connection cannot be restored for this long fails. @default 30_000 */
  reconnectTimeoutMs?: number | undefined
}

/** A typed client of one AccessPoint server, for one wallet or API key. */
export type AccessPointClient = {
  /** The server's base URL, without a trailing slash. */
  readonly url: string
  /** The signer's address when known up front (a local account, a wallet client's account). */
  readonly address: Address | undefined
  /** Whether calls sign in by themselves when there is no usable session (`autoSignIn`). */
  readonly autoSignIn: boolean
  /** The shown part of the API key (`ap_live_` + 8 characters), when there is one. */
  readonly apiKeyPrefix: string | undefined
  /** Makes sure there is a session (one signature at most); see {@link signIn}. */
  signIn(parameters?: SignInParameters): Promise<SignInReturnType>
  /** Ends and forgets the kept session. */
  signOut(parameters?: SignOutParameters): Promise<SignOutReturnType>
  /** The current session as the server sees it. */
  session(parameters?: GetSessionParameters): Promise<GetSessionReturnType>
  /** {@link getSessionState}: signed in, expired or none, from storage (no request, no signature). */
  sessionState(): Promise<GetSessionStateReturnType>
  /** Address, roles, passes, session or key. */
  me(parameters?: GetMeParameters): Promise<GetMeReturnType>
  /** Models the caller may use, with prices. */
  models(parameters?: GetModelsParameters): Promise<GetModelsReturnType>
  /** Each pass's credit, pending, held and available amounts. */
  balance(parameters?: GetBalanceParameters): Promise<GetBalanceReturnType>
  /** The ledger, newest first, a page at a time. */
  usage(parameters?: GetUsageParameters): Promise<GetUsageReturnType>
  /** Charges per UTC hour or day, oldest first, zero-filled: a spend chart's data. */
  spendHistory(parameters?: GetSpendHistoryParameters): Promise<GetSpendHistoryReturnType>
  /** One answer, when complete. */
  complete(parameters: CompleteParameters): Promise<CompleteReturnType>
  /** The answer as it is generated; resumes after dropped connections. */
  stream(parameters: StreamParameters): StreamReturnType
  /** API keys (need a wallet session). */
  keys: {
    create(parameters: CreateApiKeyParameters): Promise<CreateApiKeyReturnType>
    list(parameters?: ListApiKeysParameters): Promise<ListApiKeysReturnType>
    revoke(parameters: RevokeApiKeyParameters): Promise<RevokeApiKeyReturnType>
  }
}

export type CreateAccessPointClientReturnType = AccessPointClient

/**
 * A client of an AccessPoint server for browsers and Node bots.
 *
 * With an `account` or `walletClient` it signs in with Ethereum when a call first needs it
 * (once, however many calls wait), keeps the session in `storage` until shortly before it
 * expires, and signs in again by itself if the server ends it early. With an `apiKey` it never
 * signs. Transient failures are retried with backoff (honouring `Retry-After`); errors are
 * typed (`AccessPointError` and subclasses, with the server's stable `code`).
 *
 * @example
 * import { privateKeyToAccount } from 'viem/accounts'
 * import { fileStorage } from '@accesspoint/client/node'
 * const client = createAccessPointClient({
 *   url: 'http://127.0.0.1:8787',
 *   account: privateKeyToAccount(process.env.BOT_KEY as `0x${string}`),
 *   storage: fileStorage('.accesspoint/sessions.json'),
 * })
 * const { text, costMicroUsd } = await client.complete({
 *   model: 'dev-mini',
 *   messages: [{ role: 'user', content: 'Hello' }],
 * })
 */
export function createAccessPointClient(
  parameters: CreateAccessPointClientParameters,
): CreateAccessPointClientReturnType {
  const transport = createTransport({
    url: parameters.url,
    account: parameters.account,
    walletClient: parameters.walletClient,
    apiKey: parameters.apiKey,
    storage: parameters.storage ?? memoryStorage(),
    fetch: parameters.fetch,
    chainId: parameters.chainId,
    statement: parameters.statement ?? 'Sign in to use AccessPoint.',
    retry: parameters.retry ?? {},
    sessionMarginMs: parameters.sessionMarginMs ?? 5 * 60_000,
    autoSignIn: parameters.autoSignIn ?? true,
    EventSource: parameters.EventSource,
    streamAuth: parameters.streamAuth ?? 'header',
    reconnectTimeoutMs: parameters.reconnectTimeoutMs ?? 30_000,
  })
  const client: AccessPointClient = {
    url: transport.url,
    address: transport.address,
    autoSignIn: parameters.autoSignIn ?? true,
    apiKeyPrefix: parameters.apiKey?.slice(0, 16),
    signIn: (args) => signIn(client, args),
    signOut: (args) => signOut(client, args),
    session: (args) => getSession(client, args),
    sessionState: () => getSessionState(client),
    me: (args) => getMe(client, args),
    models: (args) => getModels(client, args),
    balance: (args) => getBalance(client, args),
    usage: (args) => getUsage(client, args),
    spendHistory: (args) => getSpendHistory(client, args),
    complete: (args) => complete(client, args),
    stream: (args) => stream(client, args),
    keys: {
      create: (args) => createApiKey(client, args),
      list: (args) => listApiKeys(client, args),
      revoke: (args) => revokeApiKey(client, args),
    },
  }
  registerTransport(client, transport)
  return client
}
