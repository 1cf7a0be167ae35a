import { UnsupportedRuntimeError } from '../errors/client.js'

/** The parts of an `EventSource` tRPC's `httpSubscriptionLink` uses. */
export type EventSourceInstance = {
  readonly CLOSED: number
  readonly CONNECTING: number
  readonly OPEN: number
  readonly readyState: number
  addEventListener(type: string, listener: (event: object) => void): void
  removeEventListener(type: string, listener: (event: object) => void): void
  close(): void
}

/** What a header-capable `EventSource` (the `eventsource` package) is given: our `fetch`. */
export type EventSourceInit = {
  withCredentials?: boolean
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>
}

/**
 * An `EventSource` class. One that honours `init.fetch` (the `eventsource` package does, in
 * Node and in browsers) can send the `Authorization` header; the browser's own cannot.
 */
export type EventSourceConstructor = new (
  url: string,
  init?: EventSourceInit,
) => EventSourceInstance

export type ResolvedEventSource = {
  EventSource: EventSourceConstructor
  /** Whether it sends our headers (through `init.fetch`). */
  sendsHeaders: boolean
}

/**
 * The `EventSource` for streams: the one passed in; in Node the `eventsource` ponyfill
 * (Node 20–24 have none, and a native one could not send headers); elsewhere the runtime's
 * own. The ponyfill is imported lazily so browser bundles only get it as a separate chunk that
 * browsers never load.
 */
export async function resolveEventSource(
  option: EventSourceConstructor | undefined,
  runtime: {
    native?: EventSourceConstructor | undefined
    isNode?: boolean
    load?: () => Promise<{ EventSource: unknown }>
  } = {},
): Promise<ResolvedEventSource> {
  if (option) return { EventSource: option, sendsHeaders: true }
  const {
    native = (globalThis as { EventSource?: EventSourceConstructor }).EventSource,
    isNode = typeof globalThis.process?.versions?.node === 'string',
    load = () => import('eventsource'),
  } = runtime
  if (native && !isNode) return { EventSource: native, sendsHeaders: false }
  try {
    const { EventSource } = await load()
    return { EventSource: EventSource as EventSourceConstructor, sendsHeaders: true }
  } catch (cause) {
    if (native) return { EventSource: native, sendsHeaders: false }
    throw new UnsupportedRuntimeError(
      'Streaming needs an EventSource: install the `eventsource` package, or pass `EventSource` to createAccessPointClient.',
      { cause },
    )
  }
}
