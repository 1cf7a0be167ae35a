import { vi } from 'vitest'
import type { AccessPointClient } from '../src/client/createAccessPointClient.js'

/** A client whose methods only record their calls, for the query option factories. */
export function stubClient(
  overrides: Partial<Pick<AccessPointClient, 'address' | 'apiKeyPrefix'>> = {},
): AccessPointClient {
  const resolved = (value: unknown) => vi.fn(async (..._args: unknown[]) => value as never)
  return {
    url: 'https://ai.example.com',
    address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    apiKeyPrefix: undefined,
    autoSignIn: true,
    ...overrides,
    signIn: resolved({ id: 's1' }),
    signOut: resolved({ signedOut: true }),
    session: resolved({ id: 's1' }),
    sessionState: resolved({ status: 'none' }),
    me: resolved({ address: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' }),
    models: resolved([{ id: 'dev-mini' }]),
    balance: resolved([]),
    usage: resolved({ items: [], nextCursor: null, totals: {} }),
    spendHistory: resolved({ bucket: 'day', buckets: [], totalMicroUsd: 0n }),
    complete: resolved({ text: 'hi' }),
    stream: vi.fn(),
    keys: {
      create: resolved({ secret: 'ap_live_x' }),
      list: resolved([]),
      revoke: resolved({ id: 'k1' }),
    },
  }
}
