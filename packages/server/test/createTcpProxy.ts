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
  /**
   * Once: the reply to the next bytes containing `marker` (e.g. a prepared statement's name)
   * reaches the client `ms` late. Resolves with `performance.now()` as that reply is passed on.
   */
  delayReplyTo(marker: string, ms: number): Promise<number>
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
  let delay: { marker: Buffer; ms: number; passedOn: (at: number) => void } | undefined

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
    let delayed: { ms: number; passedOn: (at: number) => void } | undefined
    // While a delayed reply waits, later bytes queue behind it, in order.
    let outbox: Promise<void> | undefined
    upstream.connect(target.port, target.host, () => {
      client.on('data', (chunk: Buffer) => {
        if (trap && chunk.includes(trap)) {
          trap = undefined
          trapped = true
        }
        if (delay && chunk.includes(delay.marker)) {
          delayed = delay
          delay = undefined
        }
        upstream.write(chunk)
      })
      upstream.on('data', (chunk: Buffer) => {
        if (trapped) return drop()
        if (delayed) {
          const { ms, passedOn } = delayed
          delayed = undefined
          outbox = (outbox ?? Promise.resolve())
            .then(() => new Promise((resolve) => setTimeout(resolve, ms)))
            .then(() => {
              client.write(chunk)
              passedOn(performance.now())
            })
        } else if (outbox) outbox = outbox.then(() => void client.write(chunk))
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
    delayReplyTo(marker, ms) {
      return new Promise((passedOn) => {
        delay = { marker: Buffer.from(marker), ms, passedOn }
      })
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
