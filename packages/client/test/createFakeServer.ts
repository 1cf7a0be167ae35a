import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ErrorCode } from '@accesspoint/core'
import superjson from 'superjson'

export type FakeRequest = { path: string; body: unknown; at: number; authorization?: string }

export type FakeReply =
  | { kind: 'data'; data: unknown }
  | { kind: 'error'; code: ErrorCode; status: number; headers?: Record<string, string> }
  | { kind: 'destroy' }

/**
 * A stand-in for the server that answers tRPC calls from a script, to provoke what the real
 * one rarely does on demand: 429 with Retry-After, 503s, dropped connections.
 */
export async function createFakeServer(reply: (request: FakeRequest, index: number) => FakeReply) {
  const requests: FakeRequest[] = []
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', 'http://localhost')
    const text = Buffer.concat(chunks).toString('utf8')
    const raw = text ? JSON.parse(text) : JSON.parse(url.searchParams.get('input') ?? 'null')
    const request: FakeRequest = {
      path: url.pathname.replace(/^\/trpc\//, ''),
      body: raw ? superjson.deserialize(raw) : undefined,
      at: Date.now(),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    }
    requests.push(request)
    const answer = reply(request, requests.length - 1)
    if (answer.kind === 'destroy') {
      req.socket.destroy()
      return
    }
    if (answer.kind === 'data') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ result: { data: superjson.serialize(answer.data) } }))
      return
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    res.end(
      JSON.stringify({
        error: superjson.serialize({
          message: `fake ${answer.code}`,
          code: -32000,
          data: { code: 'X', httpStatus: answer.status, accessPointCode: answer.code },
        }),
      }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
