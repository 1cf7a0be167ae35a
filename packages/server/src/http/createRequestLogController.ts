import { type FastifyReply, type FastifyRequest, LogController } from 'fastify'

/**
 * Fastify's request logging, one line per request instead of two: no "incoming request" line,
 * and the "request completed" (or "request errored") line carries the request as well as the
 * response and its time. Measured (`BENCH_CPU_PROF=1 pnpm bench --only=throughput`): the two
 * lines and their synchronous writes were among the largest costs of a metered request.
 * A request that never completes (the process dies) leaves no line; its trace and the ledger
 * still tell.
 */
export function createRequestLogController(): LogController {
  return new RequestLogController()
}

class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return
    if (error)
      reply.log.error(
        { req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      )
    else
      reply.log.info(
        { req: request, res: reply, responseTime: reply.elapsedTime },
        'request completed',
      )
  }
}
