import { InvalidInputError } from '@accesspoint/core'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Generation } from '../../ai/createGeneration.js'
import { type CompletionResult, getCompletionResult } from '../../ai/getCompletionResult.js'
import { runIdempotent } from '../../ai/runIdempotent.js'
import { startCompletion } from '../../ai/startCompletion.js'
import { admitCaller } from '../../auth/admitCaller.js'
import type { Metrics } from '../../metrics/createMetrics.js'
import type { ProviderUsage } from '../../providers/types.js'
import { getRateLimitHeaders } from '../../rateLimits/getRateLimitHeaders.js'
import type { RateLimitStatus } from '../../rateLimits/types.js'
import type { Services } from '../../trpc/context.js'
import { getRequestScope } from '../getRequestScope.js'
import { sendOpenAIError, toOpenAIError } from './sendOpenAIError.js'

// OpenAI's request body, as far as we serve it; unknown fields are ignored as OpenAI does.
const contentPart = z.object({ type: z.literal('text'), text: z.string() })
const chatCompletionBody = z.object({
  model: z.string().min(1).max(128),
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'developer', 'user', 'assistant']),
        content: z.union([z.string().max(200_000), z.array(contentPart).max(64)]),
      }),
    )
    .min(1)
    .max(256),
  max_tokens: z.number().int().min(1).max(128_000).nullish(),
  max_completion_tokens: z.number().int().min(1).max(128_000).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  n: z.literal(1).nullish(),
})
type ChatCompletionBody = z.infer<typeof chatCompletionBody>

const openAIUsage = (usage: ProviderUsage) => ({
  prompt_tokens: usage.inputTokens,
  completion_tokens: usage.outputTokens,
  total_tokens: usage.inputTokens + usage.outputTokens,
  prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
})

const finishReasonOf = (reason: string) => (reason === 'length' ? 'length' : 'stop')

export type RegisterOpenAIRoutesParameters = { services: Services }

/**
 * The OpenAI-compatible REST API under `/v1`: `GET /v1/models` and `POST /v1/chat/completions`
 * (plain, or `stream: true` as SSE with `data: [DONE]`), authenticated with an API key or a session
 * bearer, metered exactly like the tRPC API. Errors use OpenAI's shape with our stable code in
 * `error.code`, so the official `openai` SDK and curl work unchanged.
 */
export async function registerOpenAIRoutes(
  app: FastifyInstance,
  { services }: RegisterOpenAIRoutesParameters,
): Promise<void> {
  await app.register(
    async (v1) => {
      v1.setErrorHandler(sendOpenAIError)

      // One request, one point per limit (a stream too); the `RateLimit-*` headers go out on
      // refusals and successes alike, also before a stream's first byte.
      async function caller(request: FastifyRequest, reply: FastifyReply) {
        const counted: RateLimitStatus[] = []
        try {
          return await admitCaller({
            services,
            scope: getRequestScope(request),
            ip: request.ip,
            authorization: request.headers.authorization,
            keyScope: 'ai',
            rateLimits: counted,
          })
        } finally {
          const headers = getRateLimitHeaders(counted)
          if (headers) reply.headers(headers)
        }
      }

      v1.get('/models', async (request, reply) => {
        const { wallet } = await caller(request, reply)
        const created = Math.floor(Date.now() / 1000)
        return {
          object: 'list',
          data: services.providers
            .list()
            .filter(
              (model) => !model.roles || model.roles.some((role) => wallet.roles.includes(role)),
            )
            .map((model) => ({ id: model.id, object: 'model', created, owned_by: model.provider })),
        }
      })

      v1.post('/chat/completions', async (request, reply) => {
        const { principal, wallet } = await caller(request, reply)
        const parsed = chatCompletionBody.safeParse(request.body)
        if (!parsed.success)
          throw new InvalidInputError('The request body is not a valid chat completion request.', {
            issues: parsed.error.issues.map((issue) => ({
              path: issue.path.join('.'),
              message: issue.message,
            })),
            details: parsed.error.issues
              .slice(0, 5)
              .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
              .join('; '),
          })
        const body = parsed.data
        const idempotencyKey = headerOf(request, 'idempotency-key')
        const started = await runIdempotent({
          services,
          walletAddress: principal.walletAddress,
          idempotencyKey,
          fingerprintOf: body,
          run: (requestId) =>
            startCompletion({
              services,
              principal,
              wallet,
              requestId,
              model: body.model,
              messages: body.messages.map((message) => ({
                // OpenAI's newer "developer" role is a system message to every provider we call.
                role: message.role === 'developer' ? 'system' : message.role,
                content:
                  typeof message.content === 'string'
                    ? message.content
                    : message.content.map((part) => part.text).join(''),
              })),
              maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
              temperature: body.temperature ?? undefined,
              stream: body.stream === true,
              scope: getRequestScope(request),
            }),
        })
        if (body.stream) return streamCompletion(request, reply, body, started, services.metrics)
        const result = started.result ?? (await getCompletionResult(started.generation))
        reply.header('x-accesspoint-request-id', result.requestId)
        reply.header('x-accesspoint-cost-micro-usd', result.costMicroUsd.toString())
        return {
          id: `chatcmpl-${result.requestId}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: result.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: result.text, refusal: null },
              logprobs: null,
              finish_reason: finishReasonOf(result.finishReason),
            },
          ],
          usage: openAIUsage(result.usage),
        }
      })
    },
    { prefix: '/v1' },
  )
}

// Set on the reply by `caller`; a hijacked reply sends only what `writeHead` is given.
function rateLimitHeadersOf(reply: FastifyReply): Record<string, string> {
  return Object.fromEntries(
    Object.entries(reply.getHeaders()).flatMap(([name, value]) =>
      name.startsWith('ratelimit-') && value !== undefined ? [[name, String(value)]] : [],
    ),
  )
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  const first = Array.isArray(value) ? value[0] : value
  if (first !== undefined && (first.length === 0 || first.length > 128))
    throw new InvalidInputError(`The ${name} header must be 1 to 128 characters.`)
  return first
}

async function streamCompletion(
  request: FastifyRequest,
  reply: FastifyReply,
  body: ChatCompletionBody,
  started:
    | { generation: Generation; result?: undefined }
    | { result: CompletionResult; generation?: undefined },
  metrics: Pick<Metrics, 'sseStreamsActive'>,
): Promise<FastifyReply> {
  const created = Math.floor(Date.now() / 1000)
  const requestId = started.generation?.requestId ?? started.result?.requestId ?? ''
  const id = `chatcmpl-${requestId}`
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices, ...extra })}\n\n`

  reply.hijack()
  const raw = reply.raw
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-request-id': request.id,
    'x-accesspoint-request-id': requestId,
    // Hijacked, so Fastify's onSend hook never sees these headers. They go out before the
    // provider has answered: the overhead is the admission (auth, roles, hold) up to this byte.
    'x-accesspoint-overhead-ms': String(getRequestScope(request).overheadMs(reply.elapsedTime)),
    ...rateLimitHeadersOf(reply),
  })
  metrics.sseStreamsActive.inc()
  // The client leaving stops our writing, not the generation: what it generates is billed.
  const gone = new AbortController()
  raw.once('close', () => {
    gone.abort()
    metrics.sseStreamsActive.dec()
  })
  const write = (text: string) => {
    if (!gone.signal.aborted) raw.write(text)
  }

  write(
    chunk([
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
    ]),
  )
  const finish = (result: Pick<CompletionResult, 'finishReason' | 'usage' | 'costMicroUsd'>) => {
    write(
      chunk([
        { index: 0, delta: {}, logprobs: null, finish_reason: finishReasonOf(result.finishReason) },
      ]),
    )
    if (body.stream_options?.include_usage)
      write(
        chunk([], {
          usage: openAIUsage(result.usage),
          accesspoint: { cost_micro_usd: result.costMicroUsd.toString() },
        }),
      )
    write('data: [DONE]\n\n')
  }

  try {
    if (started.result) {
      write(
        chunk([
          {
            index: 0,
            delta: { content: started.result.text },
            logprobs: null,
            finish_reason: null,
          },
        ]),
      )
      finish(started.result)
    } else {
      for await (const { event } of started.generation.read(0, gone.signal)) {
        if (event.type === 'delta')
          write(
            chunk([
              { index: 0, delta: { content: event.text }, logprobs: null, finish_reason: null },
            ]),
          )
        else if (event.type === 'done') finish(event)
        else throw event.error
      }
    }
  } catch (error) {
    // Headers are gone: the error travels as an event, which the openai SDK raises as APIError.
    write(`data: ${JSON.stringify(toOpenAIError(error, request).body)}\n\n`)
  }
  raw.end()
  return reply
}
