import type { Redis } from 'ioredis'
import type { BucketOutcome, TokenBuckets } from './types.js'

export type CreateRedisTokenBucketsParameters = {
  client: Redis
  keyPrefix: string
  /** Counts while Redis is unreachable: degraded (per instance), never unlimited. */
  fallback: TokenBuckets
}

export type CreateRedisTokenBucketsReturnType = TokenBuckets

// `takeTokens` in Lua, so that reading and updating every bucket of a request is one atomic
// step on the server every instance shares, timed by that server's clock (instances' clocks
// may disagree). No library fits: rate-limiter-flexible, which we used before, has fixed windows
// only (a client refused near the start of one waits the whole window; up to twice the limit
// passes across a window edge). Times are microseconds as Lua doubles: exact below 2^53.
const script = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local n = #KEYS
local result = {}
local nexts = {}
local allowed = 1
for i = 1, n do
  local window = tonumber(ARGV[2 * i - 1])
  local interval = window / tonumber(ARGV[2 * i])
  local stored = tonumber(redis.call('GET', KEYS[i]))
  local arrival = now
  if stored and stored > now then arrival = stored end
  local after = arrival + interval
  local earliest = after - window
  nexts[i] = after
  if now < earliest then
    allowed = 0
    result[3 * i - 2] = -1
    result[3 * i - 1] = arrival - now
    result[3 * i] = earliest - now
  else
    result[3 * i - 2] = math.floor((now - earliest) / interval)
    result[3 * i - 1] = after - now
    result[3 * i] = 0
  end
end
if allowed == 1 then
  for i = 1, n do
    redis.call('SET', KEYS[i], string.format('%.0f', nexts[i]), 'PX', math.ceil((nexts[i] - now) / 1000))
  end
else
  for i = 1, n do
    if result[3 * i - 2] >= 0 then
      result[3 * i - 2] = result[3 * i - 2] + 1
      result[3 * i - 1] = math.max(0, nexts[i] - tonumber(ARGV[2 * i - 1]) / tonumber(ARGV[2 * i]) - now)
    end
  end
end
for i = 1, 3 * n do result[i] = string.format('%.0f', result[i]) end
return result
`

// `defineCommand` adds a method ioredis' types cannot know of.
type WithTakeTokens = {
  accessPointTakeTokens(keyCount: number, ...keysAndArgs: (string | number)[]): Promise<string[]>
}

/**
 * Token buckets in Redis, shared by every instance and exact across them: one script call per
 * request, whatever the number of buckets. While Redis is unreachable (or a call fails) each
 * instance counts in `fallback` until it is back.
 */
export function createRedisTokenBuckets({
  client,
  keyPrefix,
  fallback,
}: CreateRedisTokenBucketsParameters): CreateRedisTokenBucketsReturnType {
  const commands = client as Redis & Partial<WithTakeTokens>
  if (!commands.accessPointTakeTokens)
    client.defineCommand('accessPointTakeTokens', { lua: script })
  const redis = client as Redis & WithTakeTokens
  return {
    async take(requests) {
      // ioredis fails fast while disconnected (no offline queue), but not asking is faster.
      if (client.status !== 'ready') return fallback.take(requests)
      let reply: string[]
      try {
        reply = await redis.accessPointTakeTokens(
          requests.length,
          ...requests.map((request) => `${keyPrefix}rl:${request.key}`),
          ...requests.flatMap((request) => [
            request.rule.windowSeconds * 1_000_000,
            request.rule.points,
          ]),
        )
      } catch {
        return fallback.take(requests)
      }
      const micros = (index: number) => Number(reply[index]) / 1000
      return requests.map((_, index): BucketOutcome => {
        // -1 tokens left marks a bucket that refused (and then no bucket took one).
        const remaining = Number(reply[3 * index])
        return {
          allowed: remaining >= 0,
          remaining: Math.max(0, remaining),
          resetMs: micros(3 * index + 1),
          retryAfterMs: micros(3 * index + 2),
        }
      })
    },
  }
}
