import { Writable } from 'node:stream'
import Fastify, { type FastifyBaseLogger } from 'fastify'
import { expect, test } from 'vitest'
import { createLazyChildLogger } from './createLazyChildLogger.js'

// A pino root logger (Fastify's) writing its lines, parsed and without the time, into `lines`.
function createRoot(level = 'info') {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      const { time: _time, ...line } = JSON.parse(String(chunk))
      // Two runs throw from two call sites.
      if (line.err) delete line.err.stack
      lines.push(line)
      done()
    },
  })
  const app = Fastify({
    logger: { level, stream, serializers: { req: (req: { url: string }) => ({ url: req.url }) } },
  })
  return { root: app.log, lines }
}

// The same calls on pino's own child and on the lazy one must write the same lines.
function bothWays(run: (logger: FastifyBaseLogger) => void, level?: string) {
  const pino = createRoot(level)
  run(pino.root.child({ reqId: 'req-1' }))
  const lazy = createRoot(level)
  run(createLazyChildLogger(lazy.root, { reqId: 'req-1' }))
  expect(lazy.lines).toStrictEqual(pino.lines)
  return lazy.lines
}

test('the usual line, (object, message): bindings first, serializers applied, one line', () => {
  const lines = bothWays((logger) =>
    logger.info({ req: { url: '/v1/x', secret: 'no' }, responseTime: 1.5 }, 'request completed'),
  )
  expect(lines).toStrictEqual([
    expect.objectContaining({
      level: 30,
      reqId: 'req-1',
      req: { url: '/v1/x' },
      responseTime: 1.5,
      msg: 'request completed',
    }),
  ])
  expect(Object.keys(lines[0] ?? {}).indexOf('reqId')).toBeLessThan(
    Object.keys(lines[0] ?? {}).indexOf('req'),
  )
})

test('children add bindings, also after a line; a child of a child keeps them all', () => {
  const lines = bothWays((logger) => {
    const caller = logger.child({ wallet: '0xabc' })
    caller.warn({ step: 1 }, 'first')
    const paying = caller.child({ passTokenId: '7' })
    paying.error({ step: 2 }, 'second')
    logger.info({ step: 3 }, 'the parent is unchanged')
  })
  expect(lines.map(({ wallet, passTokenId }) => [wallet, passTokenId])).toStrictEqual([
    ['0xabc', undefined],
    ['0xabc', '7'],
    [undefined, undefined],
  ])
})

test('other shapes go through the real child: a message alone, an Error, format arguments', () => {
  const lines = bothWays((logger) => {
    const child = logger.child({ wallet: '0xabc' })
    child.info('just a message')
    child.error(new Error('broke'))
    child.warn({ n: 1 }, 'count %d of %s', 2, 'three')
    child.info({ after: true }, 'and the usual shape after those')
  })
  expect(lines.map((line) => line.msg)).toStrictEqual([
    'just a message',
    'broke',
    'count 2 of three',
    'and the usual shape after those',
  ])
  expect(lines[1]).toMatchObject({ wallet: '0xabc', err: { message: 'broke', type: 'Error' } })
})

test('levels: below the level nothing is written; level reads and sets like pino', () => {
  const lines = bothWays((logger) => {
    logger.debug({ hidden: true }, 'not at info')
    expect(logger.level).toBe('info')
    logger.level = 'debug'
    logger.debug({ shown: true }, 'now shown')
  })
  expect(lines).toMatchObject([{ shown: true, level: 20 }])
})

test('child options (a route level) make a real pino child', () => {
  const { root, lines } = createRoot('info')
  const child = createLazyChildLogger(root, { reqId: 'r' }, { level: 'warn' })
  child.info({ a: 1 }, 'below the route level')
  child.warn({ a: 2 }, 'at it')
  expect(lines).toMatchObject([{ reqId: 'r', a: 2, msg: 'at it' }])
})
