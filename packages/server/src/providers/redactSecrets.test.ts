import { expect, test } from 'vitest'
import { redactSecrets } from './redactSecrets.js'

test('removes the given secrets and key-shaped strings', () => {
  expect(
    redactSecrets({
      text: 'Incorrect API key provided: sk-proj-abc1****************wxyz. Key my-long-secret-value.',
      secrets: ['my-long-secret-value'],
    }),
  ).toBe('Incorrect API key provided: [redacted]. Key [redacted].')
  expect(redactSecrets({ text: 'Authorization: Bearer abc.def' })).toBe(
    'Authorization: Bearer [redacted]',
  )
  expect(redactSecrets({ text: 'at https://user:pw@host/v1' })).toBe(
    'at https://[redacted]@host/v1',
  )
  // Short secrets would blank ordinary words.
  expect(redactSecrets({ text: 'a key', secrets: ['key'] })).toBe('a key')
})
