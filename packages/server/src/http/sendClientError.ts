import type { Socket } from 'node:net'
import { type ErrorCode, errorCodes } from '@accesspoint/core'

const statusText: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
}

/**
 * Fastify's `clientErrorHandler`: answers a request Node's HTTP parser refused before any route
 * saw it (headers over the size limit, an unknown method, malformed bytes, a client too slow to
 * send its head). Fastify's default body has no stable code; this one has our `{ error: { code,
 * message } }`, with OpenAI's `type` and `param` too, since the refused request may have been
 * meant for `/v1`. There is no request id: the request never got that far.
 */
export function sendClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset or already destroyed socket has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'PAYLOAD_TOO_LARGE', 'The request headers are too large. Send smaller headers.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'INVALID_INPUT', 'The request was not received in time. Send it again.']
        : [400, 'INVALID_INPUT', `${errorCodes.INVALID_INPUT.message} It is not valid HTTP.`]
  const body = JSON.stringify({
    error: { code, message, type: 'invalid_request_error', param: null },
  })
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${statusText[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  socket.destroy(error)
}
