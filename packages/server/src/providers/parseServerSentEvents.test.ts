import { describe, expect, test } from 'vitest'
import { parseServerSentEvents, type ServerSentEvent } from './parseServerSentEvents.js'

const encoder = new TextEncoder()

async function* fromChunks(chunks: readonly Uint8Array[]) {
  for (const chunk of chunks) yield chunk
}

async function parse(chunks: readonly Uint8Array[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = []
  for await (const event of parseServerSentEvents({ chunks: fromChunks(chunks) }))
    events.push(event)
  return events
}

function splitAt(bytes: Uint8Array, ...positions: number[]): Uint8Array[] {
  const out: Uint8Array[] = []
  let start = 0
  for (const position of positions) {
    out.push(bytes.slice(start, position))
    start = position
  }
  out.push(bytes.slice(start))
  return out
}

const body = [
  ': keep-alive comment',
  'data: {"text":"héllo 👋"}',
  '',
  'event: message_delta',
  'data: {"a":1}',
  '',
  'id: 7',
  'data: first line',
  'data:second line',
  'data',
  '',
  'data: [DONE]',
  '',
  '',
].join('\n')

const expected: ServerSentEvent[] = [
  { event: 'message', data: '{"text":"héllo 👋"}', id: undefined },
  { event: 'message_delta', data: '{"a":1}', id: undefined },
  { event: 'message', data: 'first line\nsecond line\n', id: '7' },
  { event: 'message', data: '[DONE]', id: '7' },
]

describe('parseServerSentEvents', () => {
  test('fields, comments, multi-line data, named events, ids', async () => {
    expect(await parse([encoder.encode(body)])).toStrictEqual(expected)
  })

  test.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('%s line endings, split at every byte boundary', async (_, eol) => {
    const bytes = encoder.encode(body.replaceAll('\n', eol))
    for (let i = 0; i <= bytes.length; i++)
      expect(await parse(splitAt(bytes, i)), `split at ${i}`).toStrictEqual(expected)
    // One byte at a time splits every CRLF pair and every multi-byte character.
    const single = Array.from(bytes, (byte) => Uint8Array.of(byte))
    expect(await parse(single)).toStrictEqual(expected)
  })

  test('a CRLF split between chunks is one line end, not a blank line', async () => {
    const events = await parse([
      encoder.encode('data: a\r'),
      encoder.encode('\ndata: b\r\n\r'),
      encoder.encode('\n'),
    ])
    expect(events).toStrictEqual([{ event: 'message', data: 'a\nb', id: undefined }])
  })

  test('an event without its terminating blank line is discarded at the end', async () => {
    expect(await parse([encoder.encode('data: complete\n\ndata: cut off')])).toStrictEqual([
      { event: 'message', data: 'complete', id: undefined },
    ])
  })

  test('a blank line with no data dispatches nothing and resets the event type', async () => {
    const events = await parse([encoder.encode('event: ping\n\ndata: x\n\n')])
    expect(events).toStrictEqual([{ event: 'message', data: 'x', id: undefined }])
  })

  test('errors from the body propagate', async () => {
    async function* failing() {
      yield encoder.encode('data: one\n\n')
      throw new Error('socket hang up')
    }
    const seen: string[] = []
    await expect(
      (async () => {
        for await (const event of parseServerSentEvents({ chunks: failing() }))
          seen.push(event.data)
      })(),
    ).rejects.toThrow('socket hang up')
    expect(seen).toStrictEqual(['one'])
  })
})
