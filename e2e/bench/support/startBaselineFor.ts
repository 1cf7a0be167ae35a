import { startBaselineServer } from './startBaselineServer.js'
import type { BenchSystem } from './startBenchSystem.js'

/** The metered request of every scenario: one non-streaming completion (dev provider, at once). */
export const completionBody = JSON.stringify({
  model: 'dev-mini',
  messages: [{ role: 'user', content: 'Buy or sell?' }],
  max_tokens: 16,
})

/** The headers of that request: dev account 1's API key. */
export const completionHeaders = (system: BenchSystem) => ({
  authorization: `Bearer ${system.apiKey}`,
  'content-type': 'application/json',
})

/**
 * The baseline server, answering exactly what the metered route answers (one real completion is
 * taken from `system` first), so both sides send the same bytes.
 */
export async function startBaselineFor(system: BenchSystem) {
  const sample: unknown = await fetch(`${system.url}/v1/chat/completions`, {
    method: 'POST',
    headers: completionHeaders(system),
    body: completionBody,
  }).then((response) => response.json())
  return startBaselineServer(sample)
}
