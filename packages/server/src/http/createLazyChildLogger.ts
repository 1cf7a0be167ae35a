import type { FastifyBaseLogger } from 'fastify'

// pino's types, as Fastify's logger takes them (Fastify's entry point does not export them).
type Bindings = Parameters<FastifyBaseLogger['child']>[0]
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
const levels: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export type CreateLazyChildLoggerReturnType = FastifyBaseLogger

/**
 * `parent.child(bindings)` without pino's per-child work, for Fastify's `childLoggerFactory`:
 * a request gets a child for its id and one more each time a step names the caller or the pass
 * (`RequestScope.bindLog`), yet at `info` it writes one line. pino serialises a child's bindings
 * when the child is made, so those children cost more than the line itself (measured: ~3 % of a
 * metered request's CPU, `BENCH_CPU_PROF=1 pnpm bench --only=throughput`). Here `child()` only
 * merges objects, and a line of the usual shape, `(object, message)`, goes through `parent` with
 * the bindings in front of its fields: the same JSON keys in the same order. Any other call (an
 * Error first, format arguments) or child options (a route's level or serializers) make the real
 * pino child, once, and use it from then on.
 */
export function createLazyChildLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions = {},
): CreateLazyChildLoggerReturnType {
  if (Object.keys(options).length > 0) return parent.child(bindings, options)
  let real: FastifyBaseLogger | undefined
  const materialize = () => {
    real ??= parent.child(bindings)
    return real
  }

  const log =
    (level: Level) =>
    (first: unknown, ...rest: unknown[]): void => {
      const usual =
        !real &&
        isPlainObject(first) &&
        (rest.length === 0 || (rest.length === 1 && isString(rest[0])))
      const target = real ?? (usual ? parent : materialize())
      const write = target[level] as (...args: unknown[]) => void
      if (usual) write.call(target, { ...bindings, ...(first as Record<string, unknown>) }, ...rest)
      else write.call(target, first, ...rest)
    }

  const logger = {
    get level() {
      return (real ?? parent).level
    },
    set level(level: string) {
      materialize().level = level
    },
    child(more: Bindings, moreOptions?: ChildLoggerOptions) {
      return real
        ? createLazyChildLogger(real, more, moreOptions)
        : createLazyChildLogger(parent, { ...bindings, ...more }, moreOptions)
    },
  } as FastifyBaseLogger
  for (const level of levels) logger[level] = log(level) as FastifyBaseLogger[Level]
  return logger
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function isString(value: unknown): value is string {
  return typeof value === 'string'
}
