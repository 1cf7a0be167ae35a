import { expect, test } from 'vitest'
import { countDevTokens, devTokensPerMessage, devTokensPerReply } from './countDevTokens.js'

test.each([
  ['', 0],
  ['   \n\t ', 0],
  ['hello', 1],
  ['Lorem ipsum, consectetur.', 6],
  // Runs of letters split every 6 characters.
  ['abcdef', 1],
  ['abcdefg', 2],
  ['internationalization', 4],
  ['x = 42;', 4],
  ['héllo wörld', 2],
  ['👋👋', 2],
  ['2024-01-01', 5],
])('%j has %i tokens', (text, tokens) => {
  expect(countDevTokens(text)).toBe(tokens)
})

test('messages count their contents plus fixed framing', () => {
  const messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello there' },
  ] as const
  expect(countDevTokens(messages)).toBe(3 + 2 + 2 * devTokensPerMessage + devTokensPerReply)
  expect(countDevTokens([])).toBe(devTokensPerReply)
})
