import { InvalidInputError, ServiceUnavailableError } from '@accesspoint/core'
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { z } from 'zod'
import type { Context } from './context.js'
import { publicProcedure, router } from './init.js'

// A router whose procedures fail in each way a real one can, served over real HTTP.
const testRouter = router({
  unavailable: publicProcedure.query(() => {
    throw new ServiceUnavailableError('Balances cannot be read right now.')
  }),
  invalid: publicProcedure.query(() => {
    throw new InvalidInputError('max_tokens must be positive.')
  }),
  crash: publicProcedure.query(() => {
    throw new Error('connect ECONNREFUSED db.internal:5432 password=hunter2')
  }),
  wrapped: publicProcedure.query(() => {
    throw new ServiceUnavailableError(undefined, {
      cause: new Error('connect ECONNREFUSED redis.internal:6379'),
    })
  }),
  typed: publicProcedure.input(z.object({ n: z.number().int() })).query(({ input }) => input.n),
})

let app: FastifyInstance
let url: string
beforeAll(async () => {
  app = Fastify()
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: { router: testRouter, createContext: () => ({}) as Context },
  })
  url = await app.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(() => app.close())

type ErrorBody = {
  error: {
    json: { message: string; data: { accessPointCode: string; httpStatus: number; stack?: string } }
  }
}
async function call(path: string, input?: unknown) {
  const query =
    input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`
  const response = await fetch(`${url}/trpc/${path}${query}`)
  return { status: response.status, body: (await response.json()) as ErrorBody }
}

test.each([
  ['unavailable', 503, 'SERVICE_UNAVAILABLE', 'Balances cannot be read right now.'],
  ['invalid', 400, 'INVALID_INPUT', 'max_tokens must be positive.'],
])('a %s error keeps its stable code and HTTP status', async (path, status, code, message) => {
  const { status: got, body } = await call(path)
  expect(got).toBe(status)
  expect(body.error.json.message).toBe(message)
  expect(body.error.json.data.accessPointCode).toBe(code)
})

test('an unexpected error is a generic INTERNAL 500: no message, stack or secret leaks', async () => {
  const { status, body } = await call('crash')
  expect(status).toBe(500)
  expect(body.error.json.data.accessPointCode).toBe('INTERNAL')
  expect(JSON.stringify(body)).not.toMatch(/hunter2|ECONNREFUSED|db\.internal/)
  expect(body.error.json.data.stack).toBeUndefined()
})

test('input that fails validation is INVALID_INPUT 400', async () => {
  const { status, body } = await call('typed', { n: 1.5 })
  expect(status).toBe(400)
  expect(body.error.json.data.accessPointCode).toBe('INVALID_INPUT')
  expect((await call('typed', { n: 2 })).status).toBe(200)
})

test("a cause's message stays on the server even when our error wraps it", async () => {
  const { status, body } = await call('wrapped')
  expect(status).toBe(503)
  expect(body.error.json.data.accessPointCode).toBe('SERVICE_UNAVAILABLE')
  expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|redis\.internal/)
})
