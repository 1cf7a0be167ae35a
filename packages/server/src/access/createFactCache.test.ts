import { expect, test } from 'vitest'
import { createFactCache } from './createFactCache.js'

const pass = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const alice = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const bob = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'

test('a record stays current until its address is dropped', () => {
  const cache = createFactCache({ maxEntries: 10 })
  const record = cache.record(1, alice)
  expect(cache.record(1, alice.toLowerCase() as never)).toBe(record)
  expect(cache.isCurrent(1, alice, record)).toBe(true)

  record.facts.set('k', { value: 1n, expiresAt: Number.POSITIVE_INFINITY })
  expect(cache.drop(1, alice)).toBe(true)
  // A read that took the old record can tell it must not store what it read.
  expect(cache.isCurrent(1, alice, record)).toBe(false)
  const next = cache.record(1, alice)
  expect(next).not.toBe(record)
  expect(next.facts.size).toBe(0)
  expect(cache.isCurrent(1, alice, record)).toBe(false)
  expect(cache.drop(1, bob)).toBe(false)
})

test('chains are separate; dropChain forgets one chain', () => {
  const cache = createFactCache({ maxEntries: 10 })
  const one = cache.record(1, alice)
  const two = cache.record(2, alice)
  const eleven = cache.record(11, alice)
  expect(one).not.toBe(two)
  cache.dropChain(1)
  expect(cache.isCurrent(1, alice, one)).toBe(false)
  expect(cache.isCurrent(2, alice, two)).toBe(true)
  expect(cache.isCurrent(11, alice, eleven)).toBe(true)
  expect(cache.size).toBe(2)
})

test('bounded in entries; an evicted record is no longer current', () => {
  const cache = createFactCache({ maxEntries: 2 })
  const first = cache.record(1, alice)
  cache.record(2, alice)
  cache.record(3, alice)
  expect(cache.size).toBe(2)
  expect(cache.isCurrent(1, alice, first)).toBe(false)
})

test('bounded in bytes: a wallet holding many passes weighs what it holds', () => {
  const cache = createFactCache({ maxEntries: 100, maxBytes: 20_000 })
  const small = cache.record(1, alice)
  small.facts.set('balance', { value: 1n, expiresAt: Number.MAX_SAFE_INTEGER })
  cache.measure(1, alice, small)
  const whale = cache.record(1, bob)
  whale.facts.set('passes', {
    value: Array.from({ length: 100 }, (_, index) => ({
      tokenId: BigInt(index),
      creditMicroUsd: 1n,
    })),
    expiresAt: Number.MAX_SAFE_INTEGER,
  })
  // ~15 kB with its passes: alice's record still fits beside it, and both stay current.
  cache.measure(1, bob, whale)
  expect(cache.isCurrent(1, bob, whale)).toBe(true)
  expect(cache.isCurrent(1, alice, small)).toBe(true)
  // Another whale does not fit beside the first: the least recently used goes.
  const carol = '0x00000000000000000000000000000000000000c0'
  const second = cache.record(1, carol)
  for (const [key, fact] of whale.facts) second.facts.set(key, fact)
  cache.measure(1, carol, second)
  expect(cache.isCurrent(1, carol, second)).toBe(true)
  expect(cache.isCurrent(1, alice, small)).toBe(false)
  expect(cache.isCurrent(1, bob, whale)).toBe(false)
})

test('remembers pass owners', () => {
  const cache = createFactCache({ maxEntries: 10 })
  cache.setOwner(1, pass, 5n, alice)
  expect(cache.ownerOf(1, pass.toLowerCase() as never, 5n)).toBe(alice)
  expect(cache.ownerOf(2, pass, 5n)).toBeUndefined()
  cache.setOwner(1, pass, 5n, bob)
  expect(cache.ownerOf(1, pass, 5n)).toBe(bob)
  cache.clear()
  expect(cache.ownerOf(1, pass, 5n)).toBeUndefined()
})
