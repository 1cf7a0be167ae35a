import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setImmediate as tick } from 'node:timers/promises'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { createOpenAIProvider } from './createOpenAIProvider.js'
import { createProviderHttpAgent } from './createProviderHttpAgent.js'

// A real server, not msw: the point is what happens on the sockets.
let server: Server
let baseUrl: string
let connections = 0
let closedConnections = 0
let stall = false
let endless = false
let streamingSocketClosed: Promise<void> | undefined

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      if (stall) return // never answers: for the timeout test
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      if (endless) {
        streamingSocketClosed = once(request.socket, 'close').then(() => {})
        // One event, then silence: the client must hang up itself.
        response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'x' } }] })}\n\n`)
        return
      }
      response.write(
        `data: ${JSON.stringify({ choices: [{ delta: { content: 'hi' }, finish_reason: 'stop' }] })}\n\n`,
      )
      response.write(
        `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 1 } })}\n\n`,
      )
      response.end('data: [DONE]\n\n')
    })
  })
  server.on('connection', (socket) => {
    connections++
    socket.on('close', () => closedConnections++)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
})

beforeEach(() => {
  connections = 0
  closedConnections = 0
  stall = false
  endless = false
})

afterAll(async () => {
  server.closeAllConnections()
  server.close()
})

const request = {
  model: 'm',
  messages: [{ role: 'user', content: 'hello' }] as const,
  maxTokens: 8,
}

async function complete(provider: ReturnType<typeof createOpenAIProvider>) {
  const events = []
  for await (const event of provider.stream(request)) events.push(event)
  return events
}

test("Node's global fetch uses the undici Agent and keeps one connection alive", async () => {
  const agent = createProviderHttpAgent()
  const provider = createOpenAIProvider({
    kind: 'openai-compatible',
    baseUrl,
    apiKey: 'k',
    dispatcher: agent,
  })
  for (let i = 0; i < 5; i++) {
    expect((await complete(provider)).at(-1)).toMatchObject({
      type: 'done',
      usage: { outputTokens: 1 },
    })
    // The socket returns to the pool just after the body's last byte is read; a request sent in
    // the same tick would find it still busy and open a second one.
    await tick()
  }
  expect(connections).toBe(1)
  expect(closedConnections).toBe(0)

  // Closing the agent closes the socket, which proves the agent (not the global pool) held it.
  await agent.close()
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect(closedConnections).toBe(1)
})

test('a provider without a dispatcher pools its own connections and close() ends them', async () => {
  const provider = createOpenAIProvider({ kind: 'openai-compatible', baseUrl })
  await complete(provider)
  await tick()
  await complete(provider)
  expect(connections).toBe(1)
  await provider.close()
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect(closedConnections).toBe(1)
})

test('the headers timeout of the agent becomes a ProviderTimeoutError', async () => {
  stall = true
  const provider = createOpenAIProvider({
    kind: 'openai-compatible',
    baseUrl,
    timeouts: { headersTimeoutMs: 100 },
  })
  await expect(complete(provider)).rejects.toMatchObject({
    name: 'ProviderTimeoutError',
    code: 'TIMEOUT',
    phase: 'headers',
  })
  await provider.close()
})

test('a consumer that stops reading closes the connection instead of leaving it streaming', async () => {
  endless = true
  const provider = createOpenAIProvider({ kind: 'openai-compatible', baseUrl })
  for await (const event of provider.stream(request)) {
    expect(event).toStrictEqual({ type: 'delta', text: 'x' })
    break
  }
  // (undici then opens and drops a spare connection of its own; only the streaming one matters.)
  await expect(
    Promise.race([
      streamingSocketClosed,
      new Promise((_, reject) => setTimeout(() => reject(new Error('still open')), 1_000)),
    ]),
  ).resolves.toBeUndefined()
  await provider.close()
})
