import { HttpResponse } from 'msw'
import type { AccessPoint } from '../src/createAccessPoint.js'

/**
 * The model tests serve through an OpenAI-compatible upstream they stand up themselves (msw at
 * the wire, or a local HTTP server): `{ name: 'upstream', models: [upstreamModel] }`.
 */
export const upstreamModel = 'up-1'

/** Prices {@link upstreamModel} at $1 / $0.50 / $2 per million input / cached / output tokens. */
export async function priceUpstreamModel(accessPoint: AccessPoint): Promise<void> {
  await accessPoint.database.prisma.modelPrice.create({
    data: {
      model: upstreamModel,
      provider: 'upstream',
      version: 1,
      inputMicroUsdPerMillionTokens: 1_000_000n,
      cachedInputMicroUsdPerMillionTokens: 500_000n,
      outputMicroUsdPerMillionTokens: 2_000_000n,
    },
  })
  await accessPoint.services.prices.reload()
}

/**
 * An OpenAI streamed answer: `text`'s two halves as deltas, then usage (12 in, 3 out: 18
 * micro-USD at {@link upstreamModel}'s price), then `[DONE]`.
 */
export function openAIStreamResponse(text: [string, string]): HttpResponse<ReadableStream> {
  const encoder = new TextEncoder()
  const chunks = [
    { choices: [{ index: 0, delta: { role: 'assistant', content: text[0] } }] },
    { choices: [{ index: 0, delta: { content: text[1] }, finish_reason: 'stop' }] },
    { choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } },
  ]
  const body = new ReadableStream({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`))
      controller.enqueue(encoder.encode('data: [DONE]\n\n'))
      controller.close()
    },
  })
  return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
}
