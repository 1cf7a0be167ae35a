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
 * The `EventSource` for streams: the one passed in, else the `eventsource` package (Node 20–24
 * have none, and a browser's own cannot send the Authorization header), else the runtime's own.
 * The package is imported lazily, so a browser bundle gets it as a separate chunk loaded by the
 * first stream (3.5 kB gzip) rather than in its main bundle; this keeps bearer tokens in headers,
 * never in URLs where proxies and access logs would keep them.
 */
export async function resolveEventSource(
  option: EventSourceConstructor | undefined,
  runtime: {
    native?: EventSourceConstructor | undefined
    load?: () => Promise<{ EventSource: unknown }>
  } = {},
): Promise<ResolvedEventSource> {
  if (option) return { EventSource: option, sendsHeaders: true }
  const {
    native = (globalThis as { EventSource?: EventSourceConstructor }).EventSource,
    load = () => import('eventsource'),
  } = runtime
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
