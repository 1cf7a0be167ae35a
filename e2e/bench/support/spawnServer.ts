import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const main = fileURLToPath(new URL('../../../apps/server/src/main.ts', import.meta.url))

export type SpawnServerReturnType = { url: string; pid: number; stop(): Promise<void> }

/**
 * `apps/server` from source as `pnpm dev` runs it, for the bench: its output is not read back
 * (a server under load would flood the load generator's process with it; warnings and errors
 * still reach the terminal), readiness comes from `/readyz`. With `BENCH_CPU_PROF=1` the server
 * writes a V8 CPU profile to e2e/bench/results/profiles/ when it stops.
 */
export async function spawnServer(
  port: number,
  env: Record<string, string>,
): Promise<SpawnServerReturnType> {
  const profiles = fileURLToPath(new URL('../results/profiles/', import.meta.url))
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : []),
      '--import',
      'tsx',
      '--conditions=@accesspoint/source',
      main,
    ],
    {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        DEV_CHAIN_PORT: '0',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the server exited at start-up (${child.exitCode})`)
    if (Date.now() > deadline) {
      await stop()
      throw new Error('the server never got ready')
    }
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return { url, pid: child.pid ?? 0, stop }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
