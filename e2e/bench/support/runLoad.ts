import autocannon from 'autocannon'

export type RunLoadParameters = {
  url: string
  method?: 'GET' | 'POST' | undefined
  headers?: Record<string, string> | undefined
  body?: string | undefined
  /** Open connections (each keeps one request in flight; no pipelining). */
  connections: number
  durationSeconds: number
  /** Fixed total request rate; unset means as fast as the server answers. */
  ratePerSecond?: number | undefined
}

export type RunLoadReturnType = {
  requests: number
  requestsPerSecond: number
  latencyMs: { p50: number; p97_5: number; p99: number; max: number }
  errors: number
  non2xx: number
}

/**
 * A closed-loop load run with autocannon (`connections` requests in flight, each sent when the
 * previous answered): the most a server serves. Runs in this process, so the load generator
 * shares the machine's two cores with the server, as the goals assume.
 */
export async function runLoad({
  url,
  method = 'GET',
  headers,
  body,
  connections,
  durationSeconds,
  ratePerSecond,
}: RunLoadParameters): Promise<RunLoadReturnType> {
  const result = await autocannon({
    url,
    method,
    headers,
    body,
    connections,
    duration: durationSeconds,
    ...(ratePerSecond ? { overallRate: ratePerSecond } : {}),
  })
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: {
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}
