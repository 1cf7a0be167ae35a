import { InvalidInputError, type InvalidInputIssue } from '@accesspoint/core'
import {
  type Address,
  type Client,
  createPublicClient,
  getAddress,
  http,
  isAddress,
  type Transport,
  withTimeout,
} from 'viem'
import { getChainId } from 'viem/actions'
import { collectRoleFacts } from './collectRoleFacts.js'
import { type ChainWatcher, createChainWatcher } from './createChainWatcher.js'
import { type CachedFact, createFactCache } from './createFactCache.js'
import type { SharedFactStore } from './createSharedFactStore.js'
import { decodeInvalidationLogs } from './decodeInvalidationLogs.js'
import { describeRpcError } from './describeRpcError.js'
import { ChainUnavailableError } from './errors.js'
import { evaluateRoleRule } from './evaluateRoleRule.js'
import { getFactKey } from './getFactKey.js'
import { getMulticall3Address } from './getMulticall3Address.js'
import { readChainFacts } from './readChainFacts.js'
import type {
  Access,
  AccessFact,
  AccessFactLookup,
  AccessFactValue,
  AccessPassHolding,
  RolesConfig,
} from './types.js'

/** A chain facts are read from: by URL, or by a viem transport (tests, `fallback([...])`). */
export type AccessChainConfig = {
  chainId: number
  /** Multicall3 address; defaults to viem's chain list, else calls are sent deployless. */
  multicallAddress?: Address | undefined
} & (
  | {
      /** HTTP(S) JSON-RPC URL. It may embed an API key, so it never appears in errors or logs. */
      rpcUrl: string
      transport?: undefined
    }
  | { transport: Transport; rpcUrl?: undefined }
)

/** The pino subset used here. */
export type AccessLogger = {
  warn(object: object, message?: string): void
  error(object: object, message?: string): void
  debug(object: object, message?: string): void
}

export type CreateAccessResolverParameters = {
  chains: readonly AccessChainConfig[]
  roles: RolesConfig
  /** AccessPass contracts whose passes (and credit) `getAccess` lists. */
  passContracts?: readonly { chainId: number; address: Address }[] | undefined
  ttl?:
    | {
        /** Balances, ownership, passes and credit. Default 60 s. */
        ownershipMs?: number | undefined
        /** AccessControl `hasRole`. Default 5 min. */
        rolesMs?: number | undefined
      }
    | undefined
  /** How often each chain is polled for new blocks. Default 1 s. */
  pollingIntervalMs?: number | undefined
  /** Drop cached facts on Transfer / Role / AccessPass events. Default `true`. */
  watch?: boolean | undefined
  /** Per RPC call, retries included. Default 2.5 s. */
  timeoutMs?: number | undefined
  /** Most (chain, address) entries cached. Default 10 000. */
  maxEntries?: number | undefined
  /** Most bytes of facts cached (estimated; a wallet with many passes weighs more). Default 32 MiB. */
  maxBytes?: number | undefined
  /**
   * The second tier (Redis): facts any instance read, checked before the chain. Its entries are
   * dropped with this instance's on every invalidation.
   */
  shared?: SharedFactStore | undefined
  /** Defaults to `console` for warnings and errors. */
  logger?: AccessLogger | undefined
}

export type AccessResolverStats = {
  /** Facts served from the in-process cache. */
  hits: number
  /** Facts served from the shared (Redis) tier: another instance had read them. */
  sharedHits: number
  /** Facts that had to be read from the chain. */
  misses: number
  /** Calls that joined a read already in progress for the same address. */
  coalesced: number
  /** Multicalls sent (one per chain per evaluation that missed). */
  reads: number
  /** Reads that failed because a chain did not answer. */
  readErrors: number
  /** Addresses invalidated, by events or `invalidate`. */
  invalidations: number
  /** (chain, address) entries in the cache. */
  entries: number
}

export type AccessResolver = {
  /**
   * The roles and passes of `address`. Throws `ChainUnavailableError` when a needed fact is stale
   * and its chain does not answer (never "no roles"), `InvalidInputError` for a bad address.
   */
  getAccess(address: string): Promise<Access>
  /** Forgets everything cached about `address` on every chain and notifies listeners. */
  invalidate(address: string): void
  /**
   * Empties the in-process cache, e.g. after missing other instances' invalidations while
   * Redis was away. The shared tier voids itself in that case (see createSharedFactStore).
   */
  forgetAll(): void
  /**
   * Called with each address whose on-chain facts changed (or were invalidated by hand), so that
   * caches keyed to a wallet elsewhere can be dropped. Returns the unsubscribe function.
   */
  onInvalidate(listener: (address: Address) => void): () => void
  stats(): AccessResolverStats
  /** Stops the watchers and empties the cache. Later calls read the chain every time. */
  close(): Promise<void>
}

export type CreateAccessResolverReturnType = AccessResolver

export type CreateAccessResolverErrorType = InvalidInputError

type ChainState = {
  chainId: number
  client: Client<Transport>
  multicallAddress: Address | undefined
  facts: AccessFact[]
  /** Memo of a successful `eth_chainId` check. */
  verified: Promise<void> | undefined
  watcher: ChainWatcher | undefined
}

const defaults = {
  ownershipMs: 60_000,
  rolesMs: 300_000,
  pollingIntervalMs: 1_000,
  timeoutMs: 2_500,
  maxEntries: 10_000,
  maxBytes: 32 * 1024 * 1024,
  // One log line per problem per minute is enough to notice it without flooding during an outage.
  logIntervalMs: 60_000,
}

/**
 * Decides which roles a wallet holds from on-chain facts (ERC-721 / ERC-1155 balances,
 * AccessControl roles, AccessPass passes and credit) and an allowlist.
 *
 * Facts are read in one multicall per chain, shared by concurrent callers, cached per (chain,
 * address) with TTLs, and dropped as soon as a watched event names the address, so a sold pass
 * stops working within a block or two. When a needed fact is stale and its chain cannot be read,
 * `getAccess` throws instead of answering (fail closed).
 */
export function createAccessResolver(
  parameters: CreateAccessResolverParameters,
): CreateAccessResolverReturnType {
  const {
    roles,
    passContracts = [],
    watch = true,
    pollingIntervalMs = defaults.pollingIntervalMs,
    timeoutMs = defaults.timeoutMs,
    maxEntries = defaults.maxEntries,
    maxBytes = defaults.maxBytes,
    shared,
    logger = consoleLogger,
  } = parameters
  const ownershipMs = parameters.ttl?.ownershipMs ?? defaults.ownershipMs
  const rolesMs = parameters.ttl?.rolesMs ?? defaults.rolesMs
  validate(parameters)

  const cache = createFactCache({ maxEntries, maxBytes })
  const listeners = new Set<(address: Address) => void>()
  const counters = {
    hits: 0,
    sharedHits: 0,
    misses: 0,
    coalesced: 0,
    reads: 0,
    readErrors: 0,
    invalidations: 0,
  }
  const logThrottled = createLogThrottle(logger, defaults.logIntervalMs)
  let closed = false
  // Errors already logged with more precision than the generic "chain unavailable" line.
  const logged = new WeakSet<Error>()

  const allFacts = collectRoleFacts({ roles, passContracts })
  const chains: ChainState[] = parameters.chains.map((config) => ({
    chainId: config.chainId,
    client: createPublicClient({
      transport:
        config.transport ??
        http(config.rpcUrl, {
          timeout: timeoutMs,
          // One quick retry smooths over a dropped connection; more would only delay the
          // refusal past what a client waits.
          retryCount: 1,
          retryDelay: 100,
        }),
      cacheTime: 0,
    }),
    multicallAddress: config.multicallAddress ?? getMulticall3Address({ chainId: config.chainId }),
    facts: allFacts.filter((fact) => fact.chainId === config.chainId),
    verified: undefined,
    watcher: undefined,
  }))

  for (const chain of chains) {
    if (!watch || chain.facts.length === 0) continue
    const addresses = [...new Set(chain.facts.map((fact) => getAddress(fact.contract)))]
    chain.watcher = createChainWatcher({
      client: chain.client,
      addresses,
      pollingIntervalMs,
      timeoutMs,
      onReset(reason, blockNumber) {
        // Whatever was read before this block may have changed in blocks never looked at.
        cache.dropChain(chain.chainId)
        // The shared tier is vouched for by every instance's watcher, so one starting up is no
        // reason to void it; a rewind, or a gap in what this one saw, is.
        if (reason !== 'start') shared?.dropChain(chain.chainId)
        logger.debug({ chainId: chain.chainId, reason, blockNumber }, 'access: watcher reset')
      },
      onLogs(logs, range) {
        const { addresses, tokens } = decodeInvalidationLogs({ logs })
        const affected = new Map(addresses.map((address) => [address.toLowerCase(), address]))
        for (const { contract, tokenId } of tokens) {
          const owner = cache.ownerOf(chain.chainId, contract, tokenId)
          if (owner) affected.set(owner.toLowerCase(), owner)
        }
        for (const address of affected.values()) {
          cache.drop(chain.chainId, address)
          shared?.drop(chain.chainId, address)
          counters.invalidations++
          notify(address)
        }
        if (logs.length > 0)
          logger.debug(
            { chainId: chain.chainId, ...range, logs: logs.length, invalidated: affected.size },
            'access: facts invalidated by events',
          )
      },
      onError(error) {
        logThrottled(
          `watch:${chain.chainId}`,
          'warn',
          {
            chainId: chain.chainId,
            reason: describeRpcError(error),
          },
          'access: watching the chain for role changes failed; retrying',
        )
      },
    })
  }

  function notify(address: Address) {
    for (const listener of listeners) {
      try {
        listener(address)
      } catch (error) {
        logger.error(
          { address, err: describeRpcError(error) },
          'access: invalidation listener threw',
        )
      }
    }
  }

  async function verifyChain(chain: ChainState): Promise<void> {
    chain.verified ??= (async () => {
      const reported = await withTimeout(() => getChainId(chain.client), {
        timeout: timeoutMs,
        errorInstance: new Error(`No answer within ${timeoutMs} ms.`),
      }).catch((error: unknown) => {
        throw new ChainUnavailableError({ chainId: chain.chainId, reason: describeRpcError(error) })
      })
      if (reported !== chain.chainId) {
        const reason = `The RPC of chain ${chain.chainId} serves chain ${reported}; fix its URL.`
        logThrottled(
          `verify:${chain.chainId}`,
          'error',
          { chainId: chain.chainId, reported },
          reason,
        )
        const error = new ChainUnavailableError({ chainId: chain.chainId, reason })
        logged.add(error)
        throw error
      }
    })()
    // Only success is remembered: after an outage or a fixed URL the next call checks again.
    await chain.verified.catch((error: unknown) => {
      chain.verified = undefined
      throw error
    })
  }

  async function read(chain: ChainState, address: Address, facts: readonly AccessFact[]) {
    counters.reads++
    try {
      await verifyChain(chain)
      const { values, failures } = await readChainFacts({
        client: chain.client,
        chainId: chain.chainId,
        address,
        facts,
        multicallAddress: chain.multicallAddress,
        timeoutMs,
      })
      for (const { fact, reason } of failures)
        logThrottled(
          `fact:${getFactKey(fact)}`,
          'warn',
          { ...describeFact(fact), reason },
          'access: a role contract call reverted; the rule counts as not met. Check the roles config.',
        )
      return values
    } catch (error) {
      counters.readErrors++
      if (error instanceof ChainUnavailableError && !logged.has(error))
        logThrottled(
          `read:${chain.chainId}`,
          'warn',
          { chainId: chain.chainId, reason: error.reason },
          'access: chain unavailable; refusing access decisions that need fresh facts',
        )
      throw error
    }
  }

  async function loadChainFacts(chain: ChainState, address: Address) {
    // The watcher's first block marks the point from which it vouches for cached facts, and it
    // drops what was cached before; waiting for it (once, briefly) keeps the first reads cached.
    await chain.watcher?.ready
    if (closed) {
      counters.misses += chain.facts.length
      return read(chain, address, chain.facts)
    }

    const record = cache.record(chain.chainId, address)
    if (record.inflight) {
      counters.coalesced++
      return record.inflight
    }
    const startedAt = Date.now()
    const values = new Map<string, AccessFactValue>()
    const missing: AccessFact[] = []
    for (const fact of chain.facts) {
      const cached = record.facts.get(getFactKey(fact))
      if (cached && cached.expiresAt > startedAt) values.set(getFactKey(fact), cached.value)
      else missing.push(fact)
    }
    counters.hits += values.size
    if (missing.length === 0) return values

    const inflight = (async () => {
      // Second tier first: what another instance read is as good as a chain read, and still
      // answers while the chain does not.
      const sharedFacts = shared && !closed ? await shared.read(chain.chainId, address) : undefined
      const fromShared = new Map<string, CachedFact>()
      const toRead: AccessFact[] = []
      const now = Date.now()
      for (const fact of missing) {
        const stored = sharedFacts?.facts.get(getFactKey(fact))
        if (stored && stored.expiresAt > now) fromShared.set(getFactKey(fact), stored)
        else toRead.push(fact)
      }
      counters.sharedHits += fromShared.size
      counters.misses += toRead.length
      const fetched = toRead.length > 0 ? await read(chain, address, toRead) : new Map()
      // A read that began before an invalidation may have seen the old state: it still answers
      // the calls that were waiting on it, but it is not cached.
      const current = cache.isCurrent(chain.chainId, address, record) && !closed
      for (const fact of missing) {
        const key = getFactKey(fact)
        const cached: CachedFact | undefined =
          fromShared.get(key) ??
          (fetched.has(key)
            ? {
                value: fetched.get(key) as AccessFactValue,
                expiresAt: startedAt + (fact.type === 'hasRole' ? rolesMs : ownershipMs),
              }
            : undefined)
        if (cached === undefined) continue
        values.set(key, cached.value)
        if (current) record.facts.set(key, cached)
        if (fact.type === 'passes' && Array.isArray(cached.value))
          for (const { tokenId } of cached.value as AccessFactValue<typeof fact>)
            cache.setOwner(chain.chainId, fact.contract, tokenId, address)
      }
      if (current) {
        cache.measure(chain.chainId, address, record)
        // Only what this instance read from the chain is news to the second tier.
        if (sharedFacts && fetched.size > 0)
          shared?.write(chain.chainId, address, sharedFacts.generation, record.facts)
      }
      return values
    })()
    record.inflight = inflight
    inflight
      .finally(() => {
        if (record.inflight === inflight) record.inflight = undefined
      })
      // The callers handle the rejection; this branch only must not be left unhandled.
      .catch(() => {})
    return inflight
  }

  function parseAddress(input: string): Address {
    if (typeof input === 'string' && isAddress(input, { strict: false })) return getAddress(input)
    throw new InvalidInputError('The wallet address is invalid.', {
      details: 'Use a 0x-prefixed, 20-byte hex address.',
    })
  }

  return {
    async getAccess(input) {
      const address = parseAddress(input)
      const perChain = await Promise.all(
        chains
          .filter((chain) => chain.facts.length > 0)
          .map((chain) => loadChainFacts(chain, address)),
      )
      const values = new Map<string, AccessFactValue>()
      for (const chainValues of perChain)
        for (const [key, value] of chainValues) values.set(key, value)
      const facts: AccessFactLookup = (fact) =>
        values.get(getFactKey(fact)) as AccessFactValue<typeof fact> | undefined

      const granted = Object.entries(roles)
        .filter(([, rule]) => evaluateRoleRule({ rule, address, facts }))
        .map(([name]) => name)
      const passes: AccessPassHolding[] = []
      for (const { chainId, address: contract } of passContracts) {
        const held = facts({ type: 'passes', chainId, contract }) ?? []
        for (const { tokenId, creditMicroUsd } of held)
          passes.push({ chainId, contract: getAddress(contract), tokenId, creditMicroUsd })
      }
      return { address, roles: granted, passes }
    },
    invalidate(input) {
      const address = parseAddress(input)
      for (const chain of chains) {
        cache.drop(chain.chainId, address)
        shared?.drop(chain.chainId, address)
      }
      counters.invalidations++
      notify(address)
    },
    forgetAll() {
      cache.clear()
    },
    onInvalidate(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    stats() {
      return { ...counters, entries: cache.size }
    },
    async close() {
      closed = true
      await Promise.all(chains.map((chain) => chain.watcher?.stop()))
      cache.clear()
    },
  }
}

function describeFact(fact: AccessFact) {
  return {
    chainId: fact.chainId,
    contract: fact.contract,
    fact: fact.type,
    ...(fact.type === 'erc1155Balance' ? { tokenId: fact.tokenId.toString() } : {}),
    ...(fact.type === 'hasRole' ? { role: fact.role } : {}),
  }
}

function validate({ chains, roles, passContracts = [], ttl }: CreateAccessResolverParameters) {
  const issues: InvalidInputIssue[] = []
  const chainIds = new Set<number>()
  for (const [index, chain] of chains.entries()) {
    if (chainIds.has(chain.chainId))
      issues.push({
        path: `chains[${index}].chainId`,
        message: `Chain ${chain.chainId} is listed twice; keep one.`,
      })
    chainIds.add(chain.chainId)
    if (!chain.transport && !chain.rpcUrl)
      issues.push({ path: `chains[${index}].rpcUrl`, message: 'Set the RPC URL of the chain.' })
  }
  const configured = (chainId: number) => chainIds.has(chainId)
  for (const [name, rule] of Object.entries(roles)) {
    const missing = new Set(
      collectRoleFacts({ roles: { [name]: rule } })
        .map((fact) => fact.chainId)
        .filter((chainId) => !configured(chainId)),
    )
    for (const chainId of missing)
      issues.push({
        path: `roles.${name}`,
        message: `Uses chain ${chainId}, which has no RPC configured; add it to the chains.`,
      })
  }
  for (const [index, pass] of passContracts.entries())
    if (!configured(pass.chainId))
      issues.push({
        path: `passContracts[${index}].chainId`,
        message: `Chain ${pass.chainId} has no RPC configured; add it to the chains.`,
      })
  for (const key of ['ownershipMs', 'rolesMs'] as const) {
    const value = ttl?.[key]
    if (value !== undefined && !(Number.isFinite(value) && value >= 0))
      issues.push({ path: `ttl.${key}`, message: 'Must be a number of milliseconds ≥ 0.' })
  }
  if (issues.length > 0)
    throw new InvalidInputError(
      'The access configuration is invalid. Fix the issues listed below.',
      {
        issues,
      },
    )
}

type LogLevel = 'warn' | 'error'

// Repeats of the same problem within `intervalMs` are counted, not logged; the next line that
// gets through says how many were held back.
function createLogThrottle(logger: AccessLogger, intervalMs: number) {
  const last = new Map<string, { at: number; suppressed: number }>()
  return (key: string, level: LogLevel, object: object, message: string) => {
    const now = Date.now()
    const entry = last.get(key)
    if (entry && now - entry.at < intervalMs) {
      entry.suppressed++
      return
    }
    const suppressed = entry?.suppressed ?? 0
    last.set(key, { at: now, suppressed: 0 })
    logger[level](suppressed > 0 ? { ...object, suppressed } : object, message)
  }
}

const consoleLogger: AccessLogger = {
  warn: (object, message) => console.warn(message ?? '', object),
  error: (object, message) => console.error(message ?? '', object),
  debug: () => {},
}
