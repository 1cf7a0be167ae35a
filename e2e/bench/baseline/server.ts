// The baselines a metered request is compared with, in a process of their own like the server:
// a bare Fastify route returning the same JSON, a plain tRPC query (same adapter and
// transformer as AccessPoint) returning it too, and a bare SSE stream whose first content chunk
// comes after `delayMs`, as the dev provider's first token does. Prints its URL once listening.
import { initTRPC } from '@trpc/server'
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify'
import Fastify from 'fastify'
import superjson from 'superjson'

const answer: unknown = JSON.parse(process.env.BASELINE_BODY ?? '{}')
const t = initTRPC.create({ transformer: superjson })
const router = t.router({ ping: t.procedure.query(() => answer) })

const app = Fastify({ logger: false })
app.post('/bare', async () => answer)
// What `/v1/chat/completions` with `stream: true` writes, minus the gateway: the headers and an
// empty role chunk at once, one content chunk after `delayMs`, then `[DONE]`.
app.post<{ Querystring: { delayMs?: string } }>('/bare-stream', (request, reply) => {
  const delayMs = Number(request.query.delayMs ?? 0)
  const chunk = (delta: Record<string, string>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bare', object: 'chat.completion.chunk', created: 0, model: 'bare', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`
  reply.hijack()
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
  })
  reply.raw.write(chunk({ role: 'assistant', content: '' }, null))
  const timer = setTimeout(() => {
    reply.raw.write(chunk({ content: 'Lorem' }, null))
    reply.raw.end(`${chunk({}, 'length')}data: [DONE]\n\n`)
  }, delayMs)
  reply.raw.once('close', () => clearTimeout(timer))
})
await app.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router } })
const url = await app.listen({ host: '127.0.0.1', port: 0 })
console.log(`listening ${url}`)
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
