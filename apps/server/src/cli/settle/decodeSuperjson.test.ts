import { expect, test } from 'vitest'
import { decodeSuperjson } from './decodeSuperjson.js'

// Captured from superjson 2 (what the server's tRPC transformer sends).
test('bigints and dates at any depth', () => {
  expect(
    decodeSuperjson({
      json: { a: '1', b: [{ c: '2', d: '1970-01-01T00:00:00.000Z' }], e: { f: '3' }, g: 'x' },
      meta: {
        values: { a: ['bigint'], 'b.0.c': ['bigint'], 'b.0.d': ['Date'], 'e.f': ['bigint'] },
      },
    }),
  ).toEqual({ a: 1n, b: [{ c: 2n, d: new Date(0) }], e: { f: 3n }, g: 'x' })
})

test('a bare value, and no meta at all', () => {
  expect(decodeSuperjson({ json: '42', meta: { values: ['bigint'] } })).toBe(42n)
  expect(decodeSuperjson({ json: { ok: true } })).toEqual({ ok: true })
})
