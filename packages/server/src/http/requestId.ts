import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

// Accept a caller's id only if it is safe to log and echo: bounded, no spaces or control bytes.
const acceptable = /^[A-Za-z0-9._:@/+=-]{1,128}$/

/** One id per request: the caller's `X-Request-Id` when sane, else a fresh UUID. */
export function getRequestId(request: IncomingMessage): string {
  const header = request.headers['x-request-id']
  const value = Array.isArray(header) ? header[0] : header
  return value && acceptable.test(value) ? value : randomUUID()
}
