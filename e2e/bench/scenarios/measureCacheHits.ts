import { readMetric } from '../support/readMetric.js'
import { runLoad } from '../support/runLoad.js'
import { completionBody, completionHeaders } from '../support/startBaselineFor.js'
import type { BenchSystem } from '../support/startBenchSystem.js'

export type CacheHitsResult = {
  requests: number
  /** Hits ÷ lookups during the run, from `/metrics` before and after. */
  authHitRatio: number
  /** In-process hits ÷ lookups of on-chain facts (roles, passes). */
  roleHitRatio: number
  /** With PostgreSQL + Redis: hits of either tier ÷ lookups. */
  roleHitRatioWithShared: number
}

/**
 * 4. Cache behaviour under steady load: the auth (API key) and role caches' hit ratios over a
 * steady run, read from the server's own counters, as an operator's dashboard would.
 */
export async function measureCacheHits(
  system: BenchSystem,
  { connections = 16, durationSeconds = 10 } = {},
): Promise<CacheHitsResult> {
  const read = async () => {
    const text = await system.metrics()
    return {
      authHits: readMetric(text, 'accesspoint_auth_cache_hits_total', { store: 'api_key' }),
      authMisses: readMetric(text, 'accesspoint_auth_cache_misses_total', { store: 'api_key' }),
      roleHits: readMetric(text, 'accesspoint_access_cache_hits'),
      roleShared: readMetric(text, 'accesspoint_access_cache_shared_hits'),
      roleMisses: readMetric(text, 'accesspoint_access_cache_misses'),
    }
  }
  const before = await read()
  const load = await runLoad({
    url: `${system.url}/v1/chat/completions`,
    method: 'POST',
    headers: completionHeaders(system),
    body: completionBody,
    connections,
    durationSeconds,
  })
  const after = await read()
  const delta = (key: keyof typeof before) => after[key] - before[key]
  const ratio = (hits: number, total: number) => (total > 0 ? hits / total : 0)
  const roleLookups = delta('roleHits') + delta('roleShared') + delta('roleMisses')
  return {
    requests: load.requests,
    authHitRatio: ratio(delta('authHits'), delta('authHits') + delta('authMisses')),
    roleHitRatio: ratio(delta('roleHits'), roleLookups),
    roleHitRatioWithShared: ratio(delta('roleHits') + delta('roleShared'), roleLookups),
  }
}
