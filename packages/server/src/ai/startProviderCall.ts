import type { ProviderEvent } from '../providers/types.js'

export type StartProviderCallParameters = {
  /** Opens the provider's stream; `signal` aborts the call. */
  open(signal: AbortSignal): AsyncIterable<ProviderEvent>
}

export type ProviderCall = {
  /** The call's events from the first; read them once. */
  events: AsyncIterable<ProviderEvent>
  /** Stops a call nobody will read (its admission was refused). */
  abort(reason: unknown): void
}

export type StartProviderCallReturnType = ProviderCall

/**
 * Starts a provider call now, before anyone reads it: the first read is issued at once (an async
 * generator does nothing until then), so the provider works while the caller finishes its own
 * steps, and its events wait for whoever reads `events`. `startCompletion` uses this to run the
 * call while the request's hold commits; nothing reaches the client before that commit, and a
 * refused hold aborts the call.
 */
export function startProviderCall({
  open,
}: StartProviderCallParameters): StartProviderCallReturnType {
  const controller = new AbortController()
  const iterator = open(controller.signal)[Symbol.asyncIterator]()
  let first: Promise<IteratorResult<ProviderEvent>> | undefined = iterator.next()
  // An aborted call's first read may fail with nobody reading it.
  first.catch(() => {})
  // A plain iterator, not one more async generator: that would cost a promise per event.
  const started: AsyncIterator<ProviderEvent> = {
    next() {
      const next = first ?? iterator.next()
      first = undefined
      return next
    },
    async return(value?: unknown) {
      first = undefined
      return (await iterator.return?.(value)) ?? { done: true, value: undefined }
    },
  }
  return {
    events: { [Symbol.asyncIterator]: () => started },
    abort(reason) {
      controller.abort(reason)
      started.return?.().catch(() => {})
    },
  }
}
