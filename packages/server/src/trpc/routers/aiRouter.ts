import { tracked } from '@trpc/server'
import { z } from 'zod'
import { type ChatInput, chatInputSchema } from '../../ai/chatInput.js'
import type { GenerationEvent } from '../../ai/createGeneration.js'
import { GenerationNotFoundError } from '../../ai/errors.js'
import { getCompletionResult } from '../../ai/getCompletionResult.js'
import { runIdempotent } from '../../ai/runIdempotent.js'
import { startCompletion } from '../../ai/startCompletion.js'
import { router } from '../init.js'
import { authedProcedure } from '../procedures.js'

const aiProcedure = authedProcedure.meta({ scope: 'ai' })

// `<requestId>:<seq>`: the SSE event id a reconnecting client sends back as `lastEventId`.
const eventId = (requestId: string, seq: number) => `${requestId}:${seq}`
function parseEventId(id: string): { requestId: string; seq: number } | undefined {
  const at = id.lastIndexOf(':')
  const seq = Number(id.slice(at + 1))
  return at > 0 && Number.isSafeInteger(seq) ? { requestId: id.slice(0, at), seq } : undefined
}

/** The wire shape of a stream event: errors become thrown tRPC errors, not data. */
function toData(event: GenerationEvent) {
  if (event.type === 'error') throw event.error
  return event
}

type AiContext = Parameters<Parameters<typeof aiProcedure.query>[0]>[0]['ctx']

function start(ctx: AiContext, input: ChatInput, stream: boolean) {
  return runIdempotent({
    services: ctx.services,
    walletAddress: ctx.principal.walletAddress,
    idempotencyKey: input.idempotencyKey,
    fingerprintOf: { ...input, stream },
    run: (requestId) =>
      startCompletion({
        services: ctx.services,
        principal: ctx.principal,
        wallet: ctx.wallet,
        requestId,
        ...input,
        stream,
        scope: ctx.scope,
      }),
  })
}

export const aiRouter = router({
  /** Models the caller's roles may use, with their prices (micro-USD per million tokens). */
  models: authedProcedure.query(async ({ ctx }) => {
    const { providers, prices } = ctx.services
    const models = providers
      .list()
      .filter(
        (model) => !model.roles || model.roles.some((role) => ctx.wallet.roles.includes(role)),
      )
    return Promise.all(
      models.map(async (model) => {
        const price = await prices.get(model.id)
        return {
          id: model.id,
          provider: model.provider,
          dev: model.providerKind === 'dev',
          price: {
            version: price.version,
            inputMicroUsdPerMillionTokens: price.inputMicroUsdPerMillionTokens,
            cachedInputMicroUsdPerMillionTokens: price.cachedInputMicroUsdPerMillionTokens,
            outputMicroUsdPerMillionTokens: price.outputMicroUsdPerMillionTokens,
          },
        }
      }),
    )
  }),

  /** One answer, returned when complete (its charge is already durable). */
  complete: aiProcedure.input(chatInputSchema).mutation(async ({ ctx, input }) => {
    const started = await start(ctx, input, false)
    return started.result ?? getCompletionResult(started.generation)
  }),

  /**
   * Starts a streamed answer from a POST, for inputs too long for the SSE request's URL (servers
   * and proxies refuse request heads over ~16 KiB): read it with `ai.stream({ requestId })`.
   * The same idempotency key makes it the same request as through `ai.stream`; a retry of a
   * finished one returns its stored `result` instead.
   */
  start: aiProcedure.input(chatInputSchema).mutation(async ({ ctx, input }) => {
    const started = await start(ctx, input, true)
    return started.result
      ? { requestId: started.result.requestId, result: started.result }
      : { requestId: started.generation.requestId, result: undefined }
  }),

  /**
   * The answer as it is generated, over SSE. Every event is tracked with `<requestId>:<seq>`; a
   * client that reconnects with `lastEventId` resumes the same generation, which is neither run
   * nor charged again. The final event carries the usage and the charged cost.
   */
  stream: aiProcedure
    .input(
      z.union([
        chatInputSchema.extend({ lastEventId: z.string().max(200).optional() }),
        // A generation started with `ai.start`, read from its beginning (or `lastEventId`).
        z.object({
          requestId: z.string().min(1).max(200),
          lastEventId: z.string().max(200).optional(),
        }),
      ]),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const { generations } = ctx.services
      const resume = input.lastEventId ? parseEventId(input.lastEventId) : undefined
      if (input.lastEventId && !resume) throw new GenerationNotFoundError(input.lastEventId)
      const requestId = resume?.requestId ?? ('requestId' in input ? input.requestId : undefined)
      let generation =
        requestId === undefined
          ? undefined
          : generations.get(requestId, ctx.principal.walletAddress)
      if (requestId !== undefined && !generation) throw new GenerationNotFoundError(requestId)
      if (!generation) {
        // Only a new request gets here: with a request id it was found above, or refused.
        const started = await start(ctx, input as ChatInput, true)
        if (started.result) {
          // A retry of a finished request: its stored answer, in one piece, at no charge.
          const { result } = started
          yield tracked(eventId(result.requestId, 0), { type: 'delta' as const, text: result.text })
          const { text: _text, ...done } = result
          yield tracked(eventId(result.requestId, 1), { type: 'done' as const, ...done })
          return
        }
        generation = started.generation
      }
      for await (const { seq, event } of generation.read(resume ? resume.seq + 1 : 0, signal))
        yield tracked(eventId(generation.requestId, seq), toData(event))
    }),
})
