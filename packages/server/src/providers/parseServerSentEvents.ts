export type ServerSentEvent = {
  /** The `event:` field; `'message'` when the event has none. */
  event: string
  /** The `data:` lines joined with `\n`. */
  data: string
  /** The last `id:` seen so far, as the spec's "last event ID". */
  id: string | undefined
}

export type ParseServerSentEventsParameters = {
  /** The response body: UTF-8 bytes, split anywhere. */
  chunks: AsyncIterable<Uint8Array>
}

export type ParseServerSentEventsReturnType = AsyncGenerator<ServerSentEvent, void, undefined>

export type ParseServerSentEventsErrorType = Error

/**
 * Parses a `text/event-stream` body as the WHATWG HTML spec's event-stream interpretation does:
 * lines end in CRLF, LF or CR (also when CR and LF arrive in different chunks), `:` lines are
 * comments, `data:` lines accumulate, a blank line dispatches, one space after the colon is
 * dropped, and an event left unterminated when the stream ends is discarded. `retry:` is ignored
 * because nothing here reconnects.
 *
 * Written here rather than taken from undici: undici's `EventSource` parser is internal (not
 * exported) and tied to its reconnecting `EventSource`, which cannot send a POST body.
 *
 * Errors from `chunks` (a reset connection, an abort) propagate unchanged. Returning early
 * returns `chunks` too, which cancels the body.
 */
export async function* parseServerSentEvents({
  chunks,
}: ParseServerSentEventsParameters): ParseServerSentEventsReturnType {
  const parser = createParser()
  // `stream: true` keeps a multi-byte character split across chunks until its last byte comes.
  const decoder = new TextDecoder('utf-8')
  for await (const chunk of chunks) {
    const events = parser.push(decoder.decode(chunk, { stream: true }))
    for (const event of events) yield event
  }
  for (const event of parser.push(decoder.decode())) yield event
}

function createParser() {
  let buffer = ''
  // A CR ended the previous chunk: an LF starting the next one belongs to the same line end.
  let afterCarriageReturn = false
  let data: string[] = []
  let event = ''
  let id: string | undefined

  function line(text: string, out: ServerSentEvent[]) {
    if (text === '') {
      if (data.length > 0) out.push({ event: event || 'message', data: data.join('\n'), id })
      data = []
      event = ''
      return
    }
    if (text.charCodeAt(0) === 58 /* : */) return
    const colon = text.indexOf(':')
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? '' : text.slice(colon + 1)
    if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1)
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
    else if (field === 'id' && !value.includes('\0')) id = value
  }

  return {
    push(text: string): ServerSentEvent[] {
      const out: ServerSentEvent[] = []
      if (text === '') return out
      let start = 0
      if (afterCarriageReturn && text.charCodeAt(0) === 10) start = 1
      afterCarriageReturn = false
      const input = buffer === '' ? (start ? text.slice(start) : text) : buffer + text.slice(start)
      let position = 0
      // Both searches are cached so each character is scanned once per chunk.
      let lf = input.indexOf('\n')
      let cr = input.indexOf('\r')
      for (;;) {
        if (lf !== -1 && lf < position) lf = input.indexOf('\n', position)
        if (cr !== -1 && cr < position) cr = input.indexOf('\r', position)
        const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr)
        if (end === -1) break
        line(input.slice(position, end), out)
        if (end === cr) {
          if (end + 1 === input.length) afterCarriageReturn = true
          position = input.charCodeAt(end + 1) === 10 ? end + 2 : end + 1
        } else position = end + 1
      }
      buffer = input.slice(position)
      return out
    },
  }
}
