import { isBaseError } from '@accesspoint/core'

// Prisma's "cannot reach / lost the server / timed out / pool exhausted" codes.
const prismaCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024'])
// What @prisma/adapter-pg reports for a lost or refused connection.
const adapterKinds = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
])
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
])
// pg raises these as plain Errors, without a code.
const pgMessages =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Server has closed the connection/i

/**
 * Whether `error` (or one of its causes) says the database could not be reached or dropped the
 * connection, as opposed to refusing a statement. Such a failure is an outage: the request is
 * refused with SERVICE_UNAVAILABLE, not answered with a 500 that reads like a bug. Our own errors
 * are already classified (a ChainUnavailableError may wrap an ECONNREFUSED too): never this.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current = error
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    if (isBaseError(current)) return false
    const code = field(current, 'code')
    if (typeof code === 'string' && (prismaCodes.has(code) || socketCodes.has(code))) return true
    if (typeof code === 'string' && isOutageSqlState(code)) return true
    const adapterError = field(field(field(current, 'meta'), 'driverAdapterError'), 'cause')
    const kind = field(adapterError, 'kind')
    if (typeof kind === 'string' && adapterKinds.has(kind)) return true
    const original = field(adapterError, 'originalCode')
    if (typeof original === 'string' && isOutageSqlState(original)) return true
    const message = field(current, 'message')
    if (typeof message === 'string' && pgMessages.test(message)) return true
    current = field(current, 'cause')
  }
  return false
}

// 08: connection exception; 57P01-03: the server is shutting down or starting up; 53300: too
// many connections.
function isOutageSqlState(code: string): boolean {
  return /^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code) || code === '53300'
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined
}
