import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// The deployable server exactly as `pnpm dev` runs it (env -> config -> listen), from source.
const main = fileURLToPath(new URL('../../apps/server/src/main.ts', import.meta.url))

export type ServerProcess = {
  url: string
  /** The dev chain the process started (anvil, JSON-RPC). */
  rpcUrl: string
  output(): string
  stop(): Promise<void>
}

/**
 * Starts `apps/server` with `env` on `port` and waits until it is ready. The process starts its
 * own dev chain on a free port (`DEV_CHAIN_PORT=0`); its URL is read from the start-up log.
 */
export async function startServerProcess(
  port: number,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@accesspoint/source', main],
    {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DEV_CHAIN_PORT: '0',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 90_000
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited at start-up:\n${output}`)
      if (Date.now() > deadline) throw new Error(`the server never got ready:\n${output}`)
      const ready = await fetch(`${url}/readyz`).then(
        (response) => response.ok,
        () => false,
      )
      if (ready) break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const rpcUrl = /"rpcUrl":"([^"]+)"/.exec(output)?.[1]
    if (!rpcUrl) throw new Error(`the server did not report its dev chain:\n${output}`)
    return { url, rpcUrl, output: () => output, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
