import { describe, expect, test } from 'vitest'
import { countDevTokens } from '../providers/countDevTokens.js'
import { countInputTokensUpperBound, tokenOverhead } from './countInputTokensUpperBound.js'

const { request, message, part, tool } = tokenOverhead
const bytes = (text: string) => Buffer.byteLength(text, 'utf8')

test('counts UTF-8 bytes of every content, plus the template overheads', () => {
  expect(countInputTokensUpperBound([{ role: 'user', content: 'hello' }])).toBe(
    request + message + bytes('{"role":"user"}') + 5,
  )
  expect(
    countInputTokensUpperBound([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Grüße 👋' },
    ]),
  ).toBe(
    request +
      2 * message +
      bytes('{"role":"system"}') +
      9 +
      bytes('{"role":"user"}') +
      bytes('Grüße 👋'), // 12 bytes: ü and ß are 2 each, the emoji 4
  )
})

test('text that NFKC normalization lengthens counts at its normalized length', () => {
  const ligature = '\uFDFA' // one character, 3 bytes; NFKC makes it 18 characters
  const expanded = bytes(ligature.normalize('NFKC'))
  expect(expanded).toBeGreaterThan(3)
  expect(countInputTokensUpperBound([{ role: 'user', content: ligature }])).toBe(
    request + message + bytes('{"role":"user"}') + expanded,
  )
})

test('text parts, names, tool calls and tools all count', () => {
  const toolCall = {
    role: 'assistant',
    content: null,
    tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
  }
  const definition = { type: 'function', function: { name: 'f', parameters: { type: 'object' } } }
  expect(
    countInputTokensUpperBound(
      [
        {
          role: 'user',
          name: 'bob',
          content: [
            { type: 'text', text: 'ab' },
            { type: 'text', text: 'cd' },
          ],
        },
        toolCall,
      ],
      { tools: [definition] },
    ),
  ).toBe(
    request +
      message +
      bytes('{"role":"user","name":"bob"}') +
      2 * (part + 2) +
      message +
      bytes(JSON.stringify({ role: 'assistant', tool_calls: toolCall.tool_calls })) +
      tool +
      bytes(JSON.stringify(definition)),
  )
})

test('refuses media parts, whose cost does not follow from the request size', () => {
  expect(() =>
    countInputTokensUpperBound([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        ],
      },
    ]),
  ).toThrow(
    expect.objectContaining({
      code: 'INVALID_INPUT',
      issues: [{ path: 'messages[0].content[1].type', message: 'expected "text"' }],
    }),
  )
})

describe('is never below what the built-in dev provider counts', () => {
  const samples = [
    'Lorem ipsum, consectetur.',
    'a'.repeat(1_000),
    '!!!!!!!!!!!!!!!!',
    '👋🏽👋🏽👋🏽 ok',
    '漢字かな交じり文',
    ' '.repeat(50),
    '',
  ]
  test.each(samples)('%j', (text) => {
    const messages = [
      { role: 'system' as const, content: text },
      { role: 'user' as const, content: text },
    ]
    expect(countInputTokensUpperBound(messages)).toBeGreaterThanOrEqual(countDevTokens(messages))
  })
})
