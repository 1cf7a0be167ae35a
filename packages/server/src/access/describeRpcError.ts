export type DescribeRpcErrorParameters = unknown

export type DescribeRpcErrorReturnType = string

export type DescribeRpcErrorErrorType = never

// RPC URLs often carry an API key in the path or query (`https://x.g.alchemy.com/v2/<key>`),
// and viem puts the URL into error messages, so any URL is cut down to its scheme.
const urlPattern = /\b(?:https?|wss?):\/\/[^\s"'<>]+/gi
// Node's socket errors name the host and port (`connect ECONNREFUSED 10.0.0.5:8545`), which are
// part of the URL too; the code alone says what happened.
const socketErrorPattern = /\b(E[A-Z]{3,}) \S+/g

/**
 * A one-line description of an RPC failure that is safe to log: the error names and short
 * messages along the cause chain, the HTTP status if any, and no URLs, request bodies or stacks.
 */
export function describeRpcError(error: DescribeRpcErrorParameters): DescribeRpcErrorReturnType {
  const parts: string[] = []
  const seen = new Set<unknown>()
  let current: unknown = error
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current)
    const record = current as {
      name?: unknown
      shortMessage?: unknown
      message?: unknown
      status?: unknown
      cause?: unknown
    }
    const name = typeof record.name === 'string' ? record.name : 'Error'
    // viem's `shortMessage` is the first line without the URL/body lines `message` adds.
    const text =
      typeof record.shortMessage === 'string'
        ? record.shortMessage
        : typeof record.message === 'string'
          ? (record.message.split('\n')[0] ?? '')
          : ''
    const status = typeof record.status === 'number' ? ` (HTTP ${record.status})` : ''
    parts.push(
      `${name}: ${text}${status}`
        .replace(urlPattern, (url) => `${url.split(':')[0]}://…`)
        .replace(socketErrorPattern, '$1'),
    )
    current = record.cause
  }
  if (parts.length === 0) return String(error).replace(urlPattern, '…')
  return parts.join(' ← ')
}
