import { expect, test } from 'vitest'
import { getRouteLabel } from './getRouteLabel.js'

const base = { trpcPrefix: '/trpc', procedures: new Set(['ai.complete', 'auth.nonce']) }

test('a Fastify route is labelled with its pattern, not its URL', () => {
  expect(
    getRouteLabel({
      ...base,
      routePattern: '/v1/chat/completions',
      url: '/v1/chat/completions?x=1',
    }),
  ).toBe('/v1/chat/completions')
  expect(getRouteLabel({ ...base, routePattern: '/healthz', url: '/healthz' })).toBe('/healthz')
})

test('tRPC calls are labelled by procedure; batches and unknown paths by a fixed name', () => {
  const trpc = { ...base, routePattern: '/trpc/:path' }
  expect(getRouteLabel({ ...trpc, url: '/trpc/ai.complete' })).toBe('trpc:ai.complete')
  expect(getRouteLabel({ ...trpc, url: '/trpc/auth.nonce?input=%7B%7D' })).toBe('trpc:auth.nonce')
  expect(getRouteLabel({ ...trpc, url: '/trpc/auth.nonce,ai.complete?batch=1' })).toBe('trpc:batch')
  expect(getRouteLabel({ ...trpc, url: '/trpc/auth.nonce%2Cai.complete?batch=1' })).toBe(
    'trpc:batch',
  )
  expect(getRouteLabel({ ...trpc, url: '/trpc/no.such.thing' })).toBe('trpc:unknown')
  expect(getRouteLabel({ ...trpc, url: '/trpc/%E0%A4%A' })).toBe('trpc:unknown')
})

test('a request no route matched is "unmatched"', () => {
  expect(getRouteLabel({ ...base, routePattern: undefined, url: '/wp-admin/x.php' })).toBe(
    'unmatched',
  )
})
