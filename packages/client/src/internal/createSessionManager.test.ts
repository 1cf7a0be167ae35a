import type { Address } from 'viem'
import { expect, test, vi } from 'vitest'
import { memoryStorage } from '../storage/memoryStorage.js'
import { createSessionManager, type StoredSession } from './createSessionManager.js'

const alice: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const bob: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
const hour = 3_600_000

function setup({
  url = 'https://ai.example.com',
  storage = memoryStorage(),
  address = alice,
  lifetimeMs = 24 * hour,
  clock = { now: Date.parse('2026-01-01T00:00:00Z') },
} = {}) {
  let count = 0
  const signIn = vi.fn(async (signer: Address): Promise<StoredSession> => {
    count++
    await new Promise((resolve) => setTimeout(resolve, 5))
    return {
      token: `ap_sess_${count}`,
      id: `session-${count}`,
      address: signer,
      chainId: 31337,
      createdAt: new Date(clock.now),
      expiresAt: new Date(clock.now + lifetimeMs),
      url,
    }
  })
  const manager = createSessionManager({
    url,
    storage,
    marginMs: 5 * 60_000,
    getAddress: async () => address,
    signIn,
    now: () => clock.now,
  })
  return { manager, signIn, storage, clock }
}

test('concurrent callers share one sign-in', async () => {
  const { manager, signIn } = setup()
  const sessions = await Promise.all(Array.from({ length: 100 }, () => manager.get()))
  expect(signIn).toHaveBeenCalledOnce()
  expect(new Set(sessions.map((session) => session.token))).toEqual(new Set(['ap_sess_1']))
})

test('a stored session is reused by a new manager (a restarted bot)', async () => {
  const storage = memoryStorage()
  const first = setup({ storage })
  await first.manager.get()
  const second = setup({ storage })
  expect((await second.manager.get()).token).toBe('ap_sess_1')
  expect(second.signIn).not.toHaveBeenCalled()
})

test('sessions are kept per server and per address', async () => {
  const storage = memoryStorage()
  await setup({ storage }).manager.get()
  const otherServer = setup({ storage, url: 'https://other.example.com' })
  await otherServer.manager.get()
  expect(otherServer.signIn).toHaveBeenCalledOnce()
  const otherWallet = setup({ storage, address: bob })
  await otherWallet.manager.get()
  expect(otherWallet.signIn).toHaveBeenCalledOnce()
})

test('renewed a margin before expiry (5 min, at most a tenth of the lifetime)', async () => {
  const { manager, signIn, clock } = setup()
  await manager.get()
  clock.now += 24 * hour - 6 * 60_000
  expect((await manager.get()).token).toBe('ap_sess_1')
  clock.now += 2 * 60_000
  expect((await manager.get()).token).toBe('ap_sess_2')
  expect(signIn).toHaveBeenCalledTimes(2)

  const short = setup({ lifetimeMs: 60_000 })
  await short.manager.get()
  short.clock.now += 50_000
  expect((await short.manager.get()).token).toBe('ap_sess_1')
  short.clock.now += 5_000
  expect((await short.manager.get()).token).toBe('ap_sess_2')
})

test('invalidate drops only the rejected token, from memory and storage', async () => {
  const { manager, storage } = setup()
  const first = await manager.get()
  await manager.invalidate('ap_sess_other')
  expect((await manager.get()).token).toBe(first.token)
  await manager.invalidate(first.token)
  expect(await manager.peek()).toBeUndefined()
  // What stays is a marker without the token: the session is over, not never-was.
  const kept = await storage.get(
    `accesspoint:session:v1:https://ai.example.com:${alice.toLowerCase()}`,
  )
  expect(kept).not.toContain(first.token)
  expect(await manager.state()).toMatchObject({ status: 'expired', session: { id: first.id } })
  expect((await manager.get()).token).toBe('ap_sess_2')
  expect(await manager.state()).toMatchObject({ status: 'active', session: { id: 'session-2' } })
})

test('state: none before any sign-in, active while usable, expired after, never signs', async () => {
  const { manager, signIn, clock } = setup({ lifetimeMs: hour })
  expect(await manager.state()).toEqual({ status: 'none' })
  await manager.signIn()
  expect(await manager.state()).toMatchObject({ status: 'active' })
  // Past the renewal margin (a tenth of an hour's lifetime): over, as far as calls are concerned.
  clock.now += hour - 5 * 60_000
  expect(await manager.state()).toMatchObject({ status: 'expired' })
  expect(signIn).toHaveBeenCalledTimes(1)
})

test('signIn reuses a usable session unless forced; peek never signs', async () => {
  const { manager, signIn } = setup()
  expect(await manager.peek()).toBeUndefined()
  expect(signIn).not.toHaveBeenCalled()
  await manager.signIn()
  await manager.signIn()
  expect(signIn).toHaveBeenCalledOnce()
  expect((await manager.signIn({ force: true })).token).toBe('ap_sess_2')
  await manager.clear()
  expect(await manager.peek()).toBeUndefined()
})

test('damaged or foreign stored values are ignored', async () => {
  const storage = memoryStorage()
  const key = `accesspoint:session:v1:https://ai.example.com:${alice.toLowerCase()}`
  storage.set(key, '{not json')
  const { manager, signIn } = setup({ storage })
  await manager.get()
  expect(signIn).toHaveBeenCalledOnce()
  storage.set(key, JSON.stringify({ token: 1 }))
  const again = setup({ storage })
  await again.manager.get()
  expect(again.signIn).toHaveBeenCalledOnce()
})
