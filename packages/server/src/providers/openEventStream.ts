import type { Dispatcher } from 'undici'
import { ProviderError } from './errors.js'
import { parseServerSentEvents, type ServerSentEvent } from './parseServerSentEvents.js'
import { toProviderHttpError } from './toProviderHttpError.js'
import { toProviderNetworkError } from './toProviderNetworkError.js'

export type OpenEventStreamParameters = {
  provider: string
  model: string
  url: string
  headers: Record<string, string>
  /** Sent as JSON. */
  body: unknown
  signal?: AbortSignal | undefined
  dispatcher?: Dispatcher | undefined
  /** Blanked out of anything kept from the response (the API key). */
  secrets?: readonly string[] | undefined
}

export type OpenEventStreamReturnType = AsyncGenerator<ServerSentEvent, void, undefined>

export type OpenEventStreamErrorType =
  | ReturnType<typeof toProviderHttpError>
  | ReturnType<typeof toProviderNetworkError>
  | ProviderError

/** Error bodies are read up to this many bytes; the start says what went wrong. */
const maxErrorBodyBytes = 16 * 1024

// Node's `RequestInit` types `dispatcher` with the undici-types bundled for Node's own undici;
// the Agent from the undici package works there at runtime (see createProviderHttpAgent) but is
// a different declaration, so `fetch` is seen through this signature.
type FetchWithDispatcher = (
  url: string,
  init: Omit<RequestInit, 'dispatcher'> & { dispatcher?: Dispatcher | undefined },
) => Promise<Response>

/**
 * POSTs a JSON request and returns the server-sent events of a 2xx answer.
 *
 * A non-2xx answer throws what `toProviderHttpError` maps it to, a failure to connect what
 * `toProviderNetworkError` does. When `signal` aborts, the raw abort error is thrown (before the
 * answer) or surfaces from the events (after): the caller knows what was streamed and decides.
 *
 * `globalThis.fetch` is looked up on each call so that msw, which replaces it, sees every request.
 */
export async function openEventStream({
  provider,
  model,
  url,
  headers,
  body,
  signal,
  dispatcher,
  secrets,
}: OpenEventStreamParameters): Promise<OpenEventStreamReturnType> {
  const fetch = globalThis.fetch as unknown as FetchWithDispatcher
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
      ...(dispatcher ? { dispatcher } : {}),
    })
  } catch (error) {
    if (signal?.aborted) throw error
    throw toProviderNetworkError({ provider, error })
  }

  if (!response.ok) {
    const text = await readStart(response.body, maxErrorBodyBytes).catch(() => '')
    throw toProviderHttpError({
      provider,
      model,
      status: response.status,
      headers: response.headers,
      body: text,
      secrets,
    })
  }
  const contentType = response.headers.get('content-type') ?? ''
  if (!response.body || contentType.includes('application/json')) {
    // Not awaited: nothing depends on it, and cancelling an unread msw body never settles.
    response.body?.cancel().catch(() => {})
    throw new ProviderError('The AI provider answered without streaming.', {
      provider,
      upstreamStatus: response.status,
      details: `Provider '${provider}' did not send an event stream.`,
      metaMessages: [`Provider: ${provider}`, `Model: ${model}`, `Content-Type: ${contentType}`],
    })
  }
  return parseServerSentEvents({ chunks: readChunks(response.body, signal) })
}

/**
 * The body's chunks. Returning early cancels the body, which closes the connection, so callers
 * that got what they need still read to the end when they want it reused.
 *
 * `signal` is watched here too, not only by `fetch`: a fetch replaced in tests (msw) or a custom
 * dispatcher may not tie the body to it, and an abort must stop the stream either way.
 */
async function* readChunks(body: ReadableStream<Uint8Array>, signal: AbortSignal | undefined) {
  const reader = body.getReader()
  let finished = false
  // Cancelling settles a pending `read()`; the check after it turns that into the abort.
  const onAbort = () => {
    reader.cancel().catch(() => {})
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      signal?.throwIfAborted()
      if (done) {
        finished = true
        return
      }
      yield value
    }
  } finally {
    signal?.removeEventListener('abort', onAbort)
    // Not awaited, as above: a consumer that stops reading must not wait on the body.
    if (!finished) reader.cancel().catch(() => {})
  }
}

async function readStart(body: ReadableStream<Uint8Array> | null, maxBytes: number) {
  if (!body) return ''
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let bytes = 0
  try {
    while (bytes < maxBytes) {
      const { done, value } = await reader.read()
      if (done) return text + decoder.decode()
      bytes += value.byteLength
      text += decoder.decode(value, { stream: true })
    }
    return text
  } finally {
    reader.cancel().catch(() => {})
  }
}
