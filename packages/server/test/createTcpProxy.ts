import { createServer, type Server, Socket } from 'node:net'

export type TcpProxy = {
  /** Where clients connect instead of the target, e.g. `127.0.0.1:41234`. */
  host: string
  port: number
  /** Connections accepted (and forwarded) so far. */
  connections(): number
  /** Connections reset because the proxy was down. */
  refused(): number
  /**
   * The target "restarts": every open connection is cut, and until `up()` new ones are reset
   * as soon as they are accepted.
   */
  down(): void
  up(): void
  /**
   * Once: the next time a client sends bytes containing `marker` (e.g. `COMMIT`), they reach the
   * target, but its reply does not reach the client: the connection is cut as the reply
   * arrives. The statement took effect and the client cannot know it (an in-doubt commit).
   */
  swallowReplyTo(marker: string): void
  isDown(): boolean
  close(): Promise<void>
}

/**
 * A TCP proxy in front of a shared service (PostgreSQL, say) that a test can take down and bring
 * back, so an outage hits only the clients behind this proxy while other test files keep using
 * the service. The listener stays open while down: closing it would give the port up, and
 * another process could take it before `up()` listens again.
 */
export async function createTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>()
  let down = false
  let accepted = 0
  let refused = 0
  let trap: Buffer | undefined

  const server: Server = createServer((client) => {
    if (down) {
      // An RST, like a port nothing listens on: the client gets ECONNRESET, never a hang.
      refused++
      client.resetAndDestroy()
      return
    }
    accepted++
    const upstream = new Socket()
    open.add(client)
    open.add(upstream)
    const drop = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
    let trapped = false
    upstream.connect(target.port, target.host, () => {
      client.on('data', (chunk: Buffer) => {
        if (trap && chunk.includes(trap)) {
          trap = undefined
          trapped = true
        }
        upstream.write(chunk)
      })
      upstream.on('data', (chunk: Buffer) => {
        if (trapped) drop()
        else client.write(chunk)
      })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('the TCP proxy has no port')

  const cutAll = () => {
    for (const socket of open) socket.resetAndDestroy()
    open.clear()
  }
  return {
    host: '127.0.0.1',
    port: address.port,
    connections: () => accepted,
    refused: () => refused,
    down() {
      down = true
      cutAll()
    },
    up() {
      down = false
    },
    isDown: () => down,
    swallowReplyTo(marker) {
      trap = Buffer.from(marker)
    },
    close() {
      cutAll()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: Pick<TcpProxy, 'host' | 'port'>): string {
  const routed = new URL(url)
  routed.hostname = proxy.host
  routed.port = String(proxy.port)
  return routed.toString()
}
