export type DecodeSuperjsonParameters = {
  json: unknown
  meta?: { values?: Record<string, unknown> | unknown[] | undefined } | undefined
}

export type DecodeSuperjsonReturnType = unknown

const decoders: Record<string, (value: unknown) => unknown> = {
  bigint: (value) => BigInt(value as string),
  Date: (value) => new Date(value as string),
  undefined: () => undefined,
}

/**
 * Turns a tRPC answer of this server (superjson: `{ json, meta: { values: { 'a.0.b': ['bigint'] } } }`)
 * back into values: bigints and dates, which is all the admin procedures send. Here rather than
 * the `superjson` package so the CLI talks plain HTTP, as the README shows any client can.
 */
export function decodeSuperjson({
  json,
  meta,
}: DecodeSuperjsonParameters): DecodeSuperjsonReturnType {
  const values = meta?.values
  if (values === undefined) return json
  // The root itself is special (e.g. a bare bigint): `values` is then `['bigint']`.
  if (Array.isArray(values)) return decode(values[0], json)
  const root = { value: json }
  for (const [path, annotation] of Object.entries(values)) {
    // superjson escapes dots inside keys as `\.`; our keys have none, but stay correct anyway.
    const keys = ['value', ...path.split(/(?<!\\)\./).map((key) => key.replaceAll('\\.', '.'))]
    let parent: Record<string, unknown> = root
    for (const key of keys.slice(0, -1))
      parent = (parent as Record<string, Record<string, unknown>>)[key] ?? {}
    const last = keys.at(-1) ?? 'value'
    parent[last] = decode(Array.isArray(annotation) ? annotation[0] : annotation, parent[last])
  }
  return root.value
}

function decode(type: unknown, value: unknown): unknown {
  const decoder = typeof type === 'string' ? decoders[type] : undefined
  return decoder ? decoder(value) : value
}
