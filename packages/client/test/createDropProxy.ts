import { type AddressInfo, connect, createServer, type Socket } from 'node:net'

/**
 * A TCP proxy in front of the server whose connections can be cut at will, like a flaky
 * network or a load balancer restarting: `drop()` destroys every open connection.
 */
export async function createDropProxy(target: string) {
  const { hostname, port } = new URL(target)
  const open = new Set<Socket>()
  const requests: string[] = []
  let connections = 0
  const server = createServer((client) => {
    connections++
    // Request heads (each starts a chunk in practice), to see what a reconnect sent.
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1')
      if (/^[A-Z]+ \S+ HTTP\/1\.1\r\n/.test(text)) requests.push(text.split('\r\n\r\n')[0] ?? '')
    })
    const upstream = connect(Number(port), hostname)
    open.add(client)
    open.add(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    const close = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    client.on('error', close).on('close', close)
    upstream.on('error', close).on('close', close)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Connections accepted so far. */
    connections: () => connections,
    /** Request heads seen, one per connection, decoded. */
    requests: () => requests.map((head) => decodeURIComponent(head)),
    drop() {
      for (const socket of open) socket.destroy()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
