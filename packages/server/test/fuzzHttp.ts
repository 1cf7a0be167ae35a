import type { IncomingHttpHeaders } from 'node:http'
import { Readable } from 'node:stream'
import { errorCodes, isErrorCode } from '@accesspoint/core'
import type { FastifyInstance } from 'fastify'
import { type Dispatcher, request } from 'undici'
import { repositoryRoot } from './testDatabase.js'

export type FuzzRequest = {
  method: string
  /** Path and query, sent as they are (no encoding added). */
  path: string
  headers?: Record<string, string> | undefined
  body?: string | Uint8Array | AsyncIterable<Uint8Array> | undefined
}

export type FuzzResponse = { status: number; headers: IncomingHttpHeaders; text: string }

// Far above any answer the server should give; a body past it is itself a finding.
const maxResponseBytes = 8 * 1024 * 1024

/**
 * Sends one request and reads the whole answer (SSE streams included, to their end). A request
 * that gets no complete answer within `timeoutMs` is a hang, and fails.
 */
export async function send(
  base: string,
  sent: FuzzRequest,
  { dispatcher, timeoutMs = 10_000 }: { dispatcher?: Dispatcher; timeoutMs?: number } = {},
): Promise<FuzzResponse> {
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    const response = await request(`${base}${sent.path}`, {
      method: sent.method as Dispatcher.HttpMethod,
      headers: sent.headers ?? {},
      body:
        sent.body === undefined
          ? null
          : typeof sent.body === 'string' || sent.body instanceof Uint8Array
            ? sent.body
            : Readable.from(sent.body),
      signal,
      ...(dispatcher ? { dispatcher } : {}),
    })
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      chunks.push(chunk)
      size += chunk.length
      if (size > maxResponseBytes)
        throw new Error(`the answer is larger than ${maxResponseBytes} bytes`)
    }
    return {
      status: response.statusCode,
      headers: response.headers,
      text: Buffer.concat(chunks).toString('utf8'),
    }
  } catch (error) {
    if (signal.aborted)
      throw new Error(`no complete answer within ${timeoutMs} ms (a hang): ${describe(sent)}`)
    throw new Error(`no answer (${String(error)}): ${describe(sent)}`)
  }
}

/** One line naming a request, for failure messages (bodies and headers truncated). */
export function describe(sent: FuzzRequest): string {
  const cut = (text: string) =>
    text.length > 300 ? `${text.slice(0, 300)}…(${text.length})` : text
  const body =
    typeof sent.body === 'string'
      ? cut(sent.body)
      : sent.body instanceof Uint8Array
        ? `<${sent.body.length} bytes>`
        : sent.body
          ? '<stream>'
          : ''
  return `${sent.method} ${cut(sent.path)} ${cut(JSON.stringify(sent.headers ?? {}))} ${body}`
}

/** `fastify.printRoutes()` parsed: every route the server has, with its methods. */
export function listRoutes(app: FastifyInstance): { url: string; methods: string[] }[] {
  return app
    .printRoutes({ commonPrefix: false })
    .split('\n')
    .flatMap((line) => {
      const match = /(\/\S*) \(([A-Z, ]+)\)/.exec(line)
      return match?.[1] && match[2] ? [{ url: match[1], methods: match[2].split(', ') }] : []
    })
}

// Stack frames, Node internals, dependencies and this checkout's absolute path.
const leaks = [
  /\n\s+at \S.*:\d+:\d+/,
  /node:internal/,
  /node_modules/,
  /file:\/\//,
  /\.[cm]?[jt]s:\d+:\d+/,
  new RegExp(repositoryRoot.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  /Prisma\w*Error|PrismaClient/,
]

// The server's own rule for echoing a caller's X-Request-Id (src/http/requestId.ts).
const safeRequestId = /^[A-Za-z0-9._:@/+=-]{1,128}$/

export type Checked = {
  /** Stable codes of the errors the answer carried (several for a batch or a stream). */
  codes: string[]
  /** Request ids of AI requests the answer says were served (and so charged). */
  servedRequestIds: string[]
}

type ErrorFound = { code: unknown; httpStatus?: unknown; path?: unknown; where: string }

/** An error reported with a 5xx that is documented for this server's set-up (see the caller). */
export type Tolerated = (error: { code: unknown; path?: unknown }) => boolean

/**
 * The invariants every answer must keep, whatever was sent: no 5xx; every error (a plain body, each
 * item of a tRPC batch, each error event of a stream) has a stable code from @accesspoint/core with
 * a status of the class that code has; no stack traces, internal paths or known secrets; an
 * `X-Request-Id` only when safe to echo. Throws with the request and answer when one is broken.
 */
export function checkResponse(
  sent: FuzzRequest,
  received: FuzzResponse,
  {
    secrets = [],
    tolerated = () => false,
  }: { secrets?: readonly string[]; tolerated?: Tolerated } = {},
): Checked {
  const fail: (why: string) => never = (why) => {
    throw new Error(
      `${why}\n  request: ${describe(sent)}\n  answer: ${received.status} ${received.text.slice(0, 600)}`,
    )
  }
  const { status, headers, text } = received
  if (status < 100) fail(`answered an impossible status ${status}`)

  const echoed = headers['x-request-id']
  if (echoed !== undefined) {
    const sentId = sent.headers?.['x-request-id']
    if (typeof echoed !== 'string' || !safeRequestId.test(echoed))
      fail(`X-Request-Id ${JSON.stringify(echoed)} is not safe to echo`)
    if (sentId !== undefined && safeRequestId.test(sentId) !== (echoed === sentId))
      fail(`X-Request-Id ${JSON.stringify(sentId)} echoed as ${JSON.stringify(echoed)}`)
  }
  for (const pattern of leaks) if (pattern.test(text)) fail(`the body leaks ${pattern}`)
  for (const secret of secrets) if (text.includes(secret)) fail('the body contains a secret')

  const found: ErrorFound[] = []
  const servedRequestIds: string[] = []
  const contentType = String(headers['content-type'] ?? '')
  if (sent.method === 'HEAD') {
    // No body to judge; the status alone must be sane.
  } else if (contentType.startsWith('text/event-stream')) {
    for (const event of parseEvents(text)) {
      if (event.id !== undefined) {
        const at = event.id.lastIndexOf(':')
        if (at > 0) servedRequestIds.push(event.id.slice(0, at))
      }
      if (event.data === undefined || event.data === '' || event.data === '[DONE]') continue
      const data = parseJson(event.data)
      if (data === undefined) fail(`an SSE event is not JSON: ${event.data.slice(0, 200)}`)
      if (event.event === 'serialized-error') found.push(...errorsIn({ error: data }, 'event'))
      else if (isObject(data) && 'error' in data) found.push(...errorsIn(data, 'event'))
    }
  } else if (text.length > 0 || status >= 400) {
    const body = parseJson(text)
    if (body === undefined) {
      // Plain successes (the Prometheus text at /metrics) need not be JSON; errors must be.
      if (status >= 400) fail('an error answer is not JSON')
    } else {
      found.push(...errorsIn(body, 'body'))
      for (const item of Array.isArray(body) ? body : [body]) {
        const json = isObject(item) ? dig(item, 'result', 'data', 'json') : undefined
        const requestId = isObject(json) ? json.requestId : undefined
        if (typeof requestId === 'string') servedRequestIds.push(requestId)
      }
      if (status >= 400 && found.length === 0) fail('an error answer carries no error code')
    }
  }
  if (status >= 500 && !(found.length > 0 && found.every(tolerated))) fail(`answered ${status}`)
  const served = headers['x-accesspoint-request-id']
  if (typeof served === 'string' && served && status < 300) servedRequestIds.push(served)

  for (const error of found) {
    if (!isErrorCode(error.code))
      fail(`${error.where}: ${JSON.stringify(error.code)} is not a stable error code`)
    const httpStatus = typeof error.httpStatus === 'number' ? error.httpStatus : status
    // Batches and streams report each error's own status; a 2xx envelope around them is fine.
    if (error.httpStatus === undefined && status < 400) continue
    if (httpStatus >= 500 && !tolerated(error))
      fail(`${error.where}: ${error.code} reported as ${httpStatus}`)
    if (Math.floor(httpStatus / 100) !== Math.floor(errorCodes[error.code].status / 100))
      fail(`${error.where}: ${error.code} does not fit status ${httpStatus}`)
  }
  return { codes: found.map((error) => String(error.code)), servedRequestIds }
}

// tRPC (`{ error: { json: { data: { accessPointCode, httpStatus } } } }`, one per batch item),
// Fastify's handler (`{ error: { code } }`) and OpenAI's shape (`{ error: { code, type } }`).
function errorsIn(body: unknown, where: string): ErrorFound[] {
  if (Array.isArray(body))
    return body.flatMap((item, index) => errorsIn(item, `${where}[${index}]`))
  if (!isObject(body) || !('error' in body)) return []
  const error = body.error
  const data = dig(error, 'json', 'data')
  if (isObject(data))
    return [
      {
        code: data.accessPointCode,
        httpStatus: data.httpStatus,
        path: data.path,
        where: `${where} (tRPC)`,
      },
    ]
  return [{ code: isObject(error) ? error.code : undefined, where }]
}

function parseEvents(text: string): { event?: string; id?: string; data?: string }[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const fields: { event?: string; id?: string; data?: string } = {}
      for (const line of block.split(/\r?\n/)) {
        const colon = line.indexOf(':')
        if (colon <= 0) continue
        const name = line.slice(0, colon)
        const value = line.slice(colon + 1).replace(/^ /, '')
        if (name === 'data')
          fields.data = fields.data === undefined ? value : `${fields.data}\n${value}`
        else if (name === 'event' || name === 'id') fields[name] = value
      }
      return fields
    })
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function dig(value: unknown, ...keys: string[]): unknown {
  let current = value
  for (const key of keys) current = isObject(current) ? current[key] : undefined
  return current
}
