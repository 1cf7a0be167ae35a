import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

// The real process, as `pnpm dev` / `pnpm start` run it: env -> config -> server -> signals.
const main = fileURLToPath(new URL('./main.ts', import.meta.url))
const tsx = ['--import', 'tsx', '--conditions=@accesspoint/source', main]

type Run = { child: ChildProcess; output: () => string; exit: Promise<number | null> }

function start(env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, tsx, {
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => output, exit }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function waitForReady(url: string, run: Run): Promise<Response> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (run.child.exitCode !== null) throw new Error(`server exited:\n${run.output()}`)
    const response = await fetch(`${url}/readyz`).catch(() => undefined)
    if (response) return response
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`server never answered:\n${run.output()}`)
}

describe('the server process', () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ap-main-'))
  })
  afterAll(() => rm(dataDir, { recursive: true, force: true }))

  test('bad configuration stops start-up with the variable and the fix, not a stack trace', async () => {
    const run = start({ PORT: 'eighty', DATA_DIR: dataDir })
    expect(await run.exit).toBe(1)
    expect(run.output()).toContain('Invalid configuration.')
    expect(run.output()).toContain('PORT must be a whole number')
    expect(run.output()).not.toMatch(/\n\s+at /)
  })

  test('starts on the embedded database, is ready, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort()
    const run = start({ PORT: String(port), DATA_DIR: dataDir })
    const url = `http://127.0.0.1:${port}`
    const ready = await waitForReady(url, run)
    expect(ready.status).toBe(200)
    expect((await fetch(`${url}/healthz`)).status).toBe(200)

    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    expect(run.output()).toContain('shutting down')
    await expect(fetch(`${url}/healthz`)).rejects.toThrow()
  })

  test('a second process on the same data folder is refused with what to do', async () => {
    const port = await freePort()
    const first = start({ PORT: String(port), DATA_DIR: dataDir })
    await waitForReady(`http://127.0.0.1:${port}`, first)
    const second = start({ PORT: String(await freePort()), DATA_DIR: dataDir })
    expect(await second.exit).toBe(1)
    expect(second.output()).toContain('is in use by another process')
    expect(second.output()).not.toMatch(/\n\s+at /)
    first.child.kill('SIGINT')
    expect(await first.exit).toBe(0)
  })
})
