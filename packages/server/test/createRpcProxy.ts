import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

type Failure = 'http-503' | 'reset'

export type RpcProxy = {
  /** Point clients here instead of at the chain. */
  url: string
  /** The JSON-RPC methods that reached the proxy, in order (failed ones included). */
  methods: string[]
  /** The next `count` requests fail: an HTTP 503, or the connection is cut. */
  failNext(count: number, how?: Failure): void
  /** Every request fails until `up()`. */
  down(how?: Failure): void
  up(): void
  /**
   * Requests for `method` are answered with `answer(params)` instead of being forwarded (e.g. a
   * broadcast the chain never sees); `undefined` forwards again.
   */
  intercept(method: string, answer: ((params: unknown[]) => unknown) | undefined): void
  close(): Promise<void>
}

/**
 * An HTTP JSON-RPC proxy in front of a node, for tests: an RPC outage is this proxy failing,
 * while the chain behind it keeps running.
 */
export async function createRpcProxy(target: string): Promise<RpcProxy> {
  const methods: string[] = []
  let failing = 0
  let failingHow: Failure = 'http-503'
  let isDown = false
  const intercepts = new Map<string, (params: unknown[]) => unknown>()

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const parsed = JSON.parse(body) as
      | { id: unknown; method: string; params?: unknown[] }
      | { id: unknown; method: string; params?: unknown[] }[]
    const calls = Array.isArray(parsed) ? parsed : [parsed]
    for (const call of calls) methods.push(call.method)

    if (isDown || failing > 0) {
      if (failing > 0) failing--
      if (failingHow === 'reset') {
        request.socket.destroy()
        return
      }
      response.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable')
      return
    }
    const single = !Array.isArray(parsed) ? parsed : undefined
    const answer = single ? intercepts.get(single.method) : undefined
    if (single && answer) {
      const result = answer(single.params ?? [])
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id: single.id, result }))
      return
    }
    const upstream = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    response
      .writeHead(upstream.status, { 'content-type': 'application/json' })
      .end(await upstream.text())
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(502).end()
      else response.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    methods,
    failNext(count, how = 'http-503') {
      failing = count
      failingHow = how
    },
    down(how = 'http-503') {
      isDown = true
      failingHow = how
    },
    up() {
      isDown = false
      failing = 0
    },
    intercept(method, answer) {
      if (answer) intercepts.set(method, answer)
      else intercepts.delete(method)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
