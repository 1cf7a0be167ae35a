import type { FastifyServerOptions } from 'fastify'

type LoggerOption = Exclude<FastifyServerOptions['logger'], undefined>

/**
 * The logger options with a request serializer that logs the path without its query string:
 * tRPC queries and subscriptions carry their input there (a prompt, for `ai.stream`), and
 * prompts never go to the logs. Headers are not logged at all (they hold bearer tokens and keys).
 */
export function withRequestSerializer(logger: LoggerOption | undefined): LoggerOption {
  if (!logger) return false
  const options = logger === true ? {} : logger
  return {
    ...options,
    serializers: {
      ...options.serializers,
      req: (request) => ({
        method: request.method,
        url: request.url.split('?')[0] ?? '',
        host: request.host,
        remoteAddress: request.ip,
        ...(request.socket?.remotePort === undefined
          ? {}
          : { remotePort: request.socket.remotePort }),
      }),
    },
  }
}
