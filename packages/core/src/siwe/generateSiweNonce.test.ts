import { afterEach, expect, test, vi } from 'vitest'
import { InvalidInputError } from '../errors/request.js'
import { InternalError } from '../errors/service.js'
import { createSiweMessage } from './createSiweMessage.js'
import { generateSiweNonce } from './generateSiweNonce.js'

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

test('22 letters and digits by default, accepted in a message', () => {
  const nonce = generateSiweNonce()
  expect(nonce).toMatch(/^[A-Za-z0-9]{22}$/)
  expect(() =>
    createSiweMessage({
      domain: 'example.com',
      address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
      uri: 'https://example.com',
      version: '1',
      chainId: 1,
      nonce,
      issuedAt: '2025-01-01T00:00:00Z',
    }),
  ).not.toThrow()
})

test.each([17, 32, 256])('length %i', (length) => {
  expect(generateSiweNonce({ length })).toMatch(new RegExp(`^[A-Za-z0-9]{${length}}$`))
})

test.each([16, 257, 17.5, Number.NaN])('refuses length %d', (length) => {
  expect(() => generateSiweNonce({ length })).toThrow(InvalidInputError)
})

test('unique', () => {
  const nonces = new Set(Array.from({ length: 10_000 }, () => generateSiweNonce({ length: 17 })))
  expect(nonces.size).toBe(10_000)
})

test('every character about equally likely', () => {
  const counts = new Map<string, number>()
  for (let i = 0; i < 1000; i++)
    for (const character of generateSiweNonce({ length: 62 }))
      counts.set(character, (counts.get(character) ?? 0) + 1)
  expect(counts.size).toBe(62)
  // 1000 expected per character, standard deviation about 31: a modulo bias (+25% for the first
  // eight characters) would show, chance alone (beyond 6 deviations) practically never.
  for (const count of counts.values()) {
    expect(count).toBeGreaterThan(800)
    expect(count).toBeLessThan(1200)
  }
})

test('drops the bytes that would bias the choice', () => {
  // First round: only bytes of 248 and above, which must all be dropped; then 0, 61, 62 and 247.
  const rounds = [
    [248, 255],
    [0, 61, 62, 247],
  ]
  let call = 0
  vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(
    <T extends ArrayBufferView | null>(array: T): T => {
      const bytes = array as unknown as Uint8Array
      const pattern = rounds[call++] ?? []
      bytes.forEach((_, i) => {
        bytes[i] = pattern[i % pattern.length] ?? 0
      })
      return array
    },
  )
  // 0 → A, 61 → 9, 62 → A (62 % 62 = 0), 247 → 9 (247 % 62 = 61)
  expect(generateSiweNonce({ length: 17 })).toBe('A9A9A9A9A9A9A9A9A')
  expect(call).toBe(2)
})

test('refuses to run without a secure random generator', () => {
  vi.stubGlobal('crypto', undefined)
  expect(() => generateSiweNonce()).toThrow(InternalError)
})
