export type GetRouteLabelParameters = {
  /** Fastify's route pattern (`request.routeOptions.url`); undefined when no route matched. */
  routePattern: string | undefined
  /** The request URL, path and query. */
  url: string
  /** Where tRPC is mounted, e.g. `/trpc`. */
  trpcPrefix: string
  /** Every procedure path the router has, e.g. `ai.complete`. */
  procedures: ReadonlySet<string>
}

/**
 * The `route` label of a request's metrics: the route pattern, `trpc:<procedure>` for a tRPC
 * call, `trpc:batch` for a batched one, and `unmatched` when nothing matched. Only names the
 * server defines come out, so a scanner requesting random URLs cannot grow the label set.
 */
export function getRouteLabel({
  routePattern,
  url,
  trpcPrefix,
  procedures,
}: GetRouteLabelParameters): string {
  if (!routePattern) return 'unmatched'
  if (routePattern !== `${trpcPrefix}/:path`) return routePattern
  const path = decodePath(url.slice(trpcPrefix.length + 1).split('?')[0] ?? '')
  if (path.includes(',')) return 'trpc:batch'
  return procedures.has(path) ? `trpc:${path}` : 'trpc:unknown'
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}
