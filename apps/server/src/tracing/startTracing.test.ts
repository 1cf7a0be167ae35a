import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { devAccounts } from '@accesspoint/contracts'
import { createSiweMessage } from '@accesspoint/core/siwe'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'

// The real process, as in main.test.ts, exporting to a collector played by this test.
const main = fileURLToPath(new URL('../main.ts', import.meta.url))

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean }
type OtlpAttribute = { key: string; value: OtlpValue }
type OtlpSpan = {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  attributes: OtlpAttribute[]
}
type OtlpExport = {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] }
    scopeSpans: { scope: { name: string; version?: string }; spans: OtlpSpan[] }[]
  }[]
}

const attribute = (attributes: OtlpAttribute[], key: string) =>
  attributes.find((entry) => entry.key === key)?.value

// What the collector received: one entry per POST.
const received: { path: string | undefined; headers: IncomingHttpHeaders; body: string }[] = []
const collector = createServer((request, response) => {
  let body = ''
  request.setEncoding('utf8')
  request.on('data', (chunk: string) => {
    body += chunk
  })
  request.on('end', () => {
    received.push({ path: request.url, headers: request.headers, body })
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end('{}')
  })
})

let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ap-tracing-'))
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
})
afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve))
  await rm(dataDir, { recursive: true, force: true })
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function start(env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@accesspoint/source', main],
    {
      env: { PATH: process.env.PATH, NODE_ENV: 'test', DEV_CHAIN_PORT: '0', ...env },
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
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => output, exit }
}

async function trpc(url: string, path: string, input: unknown) {
  const response = await fetch(`${url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  })
  return ((await response.json()) as { result: { data: { json: Record<string, string> } } }).result
    .data.json
}

test('with OTEL_EXPORTER_OTLP_ENDPOINT the server exports its spans, flushed on shutdown', {
  timeout: 120_000,
}, async () => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const run = start({
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    OTEL_SERVICE_NAME: 'accesspoint-tracing-test',
    // Nothing leaves on a timer during the test: whatever arrives was flushed by the shutdown.
    OTEL_BSP_SCHEDULE_DELAY: '600000',
  })
  const deadline = Date.now() + 90_000
  while (!(await fetch(`${url}/readyz`).catch(() => undefined))) {
    if (run.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`server did not start:\n${run.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  expect(run.output()).toContain('Tracing: OTLP/HTTP to http://127.0.0.1:')

  const account = privateKeyToAccount(devAccounts[1].privateKey)
  const nonce = await trpc(url, 'auth.nonce', null)
  const message = createSiweMessage({
    domain: nonce.domain as string,
    uri: nonce.uri as string,
    nonce: nonce.nonce as string,
    address: account.address,
    version: '1',
    chainId: 31337,
    issuedAt: new Date().toISOString(),
  })
  const { token } = await trpc(url, 'auth.signIn', {
    message,
    signature: await account.signMessage({ message }),
  })
  const traceId = '5b8efff798038103d269b633813fc60c'
  const completion = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      traceparent: `00-${traceId}-eee19b7ec3c1b174-01`,
    },
    body: JSON.stringify({
      model: 'dev-mini',
      messages: [{ role: 'user', content: 'a prompt about flamingos' }],
      max_tokens: 4,
    }),
  })
  expect(completion.status).toBe(200)
  expect(received).toEqual([])

  run.child.kill('SIGTERM')
  expect(await run.exit).toBe(0)
  expect(received.length).toBeGreaterThan(0)
  for (const post of received) {
    expect(post.path).toBe('/v1/traces')
    expect(post.headers['content-type']).toBe('application/json')
  }

  const exports = received.map((post) => JSON.parse(post.body) as OtlpExport)
  const resources = exports.flatMap((body) => body.resourceSpans)
  for (const { resource } of resources) {
    expect(attribute(resource.attributes, 'service.name')).toEqual({
      stringValue: 'accesspoint-tracing-test',
    })
    expect(attribute(resource.attributes, 'service.version')?.stringValue).toMatch(/^\d+\.\d+\.\d+/)
  }
  const scopes = resources.flatMap((resource) => resource.scopeSpans)
  expect(scopes.map((scope) => scope.scope.name)).toContain('@accesspoint/server')
  // The completion's trace: the caller's trace id, the request span and its five steps.
  const spans = scopes.flatMap((scope) => scope.spans).filter((span) => span.traceId === traceId)
  const request = spans.find((span) => span.name === 'POST /v1/chat/completions')
  expect(request?.parentSpanId).toBe('eee19b7ec3c1b174')
  expect(attribute(request?.attributes ?? [], 'http.response.status_code')).toEqual({
    intValue: 200,
  })
  expect(
    spans
      .filter((span) => span.parentSpanId === request?.spanId)
      .map((span) => span.name)
      .sort(),
  ).toEqual([
    'accesspoint.auth',
    'accesspoint.capture',
    'accesspoint.hold',
    'accesspoint.provider',
    'accesspoint.roles',
  ])
  const everything = received.map((post) => post.body).join('\n')
  expect(everything).not.toContain('flamingo')
  expect(everything).not.toContain(token as string)
})
