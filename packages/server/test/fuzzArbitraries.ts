import fc from 'fast-check'
import superjson from 'superjson'

// Generators for fuzzing AccessPoint's HTTP surfaces (src/http/fuzzPublicEndpoints.test.ts).

// Long values print as their recipe in fast-check's counterexamples, not as 20 000 characters.
export class Long {
  constructor(
    readonly text: string,
    private readonly recipe: string,
  ) {}
  [fc.toStringMethod]() {
    return this.recipe
  }
}
export const long = (before: string, unit: string, count: number, after = '') =>
  new Long(
    `${before}${unit.repeat(count)}${after}`,
    `${JSON.stringify(before)} + ${JSON.stringify(unit)} × ${count} + ${JSON.stringify(after)}`,
  )
// Inputs may hold bigints (a pass token id); sent raw, they go as digits.
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  ) ?? ''
export const textOf = (value: string | Long) => (typeof value === 'string' ? value : value.text)
export const bodyOf = (value: string | Uint8Array | Long) =>
  value instanceof Long ? value.text : value

// Who calls: real callers by name (their tokens change when a fuzzed sign-out ends a session),
// plus credentials of every wrong shape.
const callerNames = [
  'none',
  'session',
  'apiKey',
  'admin',
  'revokedSession',
  'expiredSession',
  'revokedApiKey',
] as const
export type CallerName = (typeof callerNames)[number]
export type Caller =
  | { name: CallerName }
  | { raw: string | Long }
  | { mangled: 'session' | 'apiKey'; at: number }

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length })
export const visibleAscii = fc
  .integer({ min: 0x21, max: 0x7e })
  .map((code) => String.fromCharCode(code))
// What an HTTP client can put in a header value: printable ASCII, spaces and Latin-1 bytes.
const headerText = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(
      { weight: 8, arbitrary: visibleAscii },
      fc.constantFrom(' ', '\t', 'é', 'ÿ', '\u0080'),
    ),
    maxLength,
  })

export const callerArbitrary: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...callerNames).map((name) => ({ name })) },
  fc
    .oneof(
      fc.constantFrom<string | Long>(
        'Bearer',
        'Bearer ',
        'bearer  ',
        'Basic dXNlcjpwYXNz',
        'Token abc',
        'Bearer a b',
        'BEARER ap_live_',
        'Bearer ap_live_',
        'Bearer ap_test_0000',
        long('Bearer ', 'A', 12_000),
        long('Bearer ap_live_', 'f', 4_000),
      ),
      headerText(300).map((text) => `Bearer ${text}`),
      headerText(80).map((text) => `Bearer ap_live_${text}`),
      headerText(200),
    )
    .map((raw) => ({ raw })),
  fc.record({ mangled: fc.constantFrom('session', 'apiKey'), at: fc.nat() }),
)

// Field names of every procedure's input (and a few that pollute prototypes), with values that
// sit on and around their bounds: together they reach validation, auth and the billing path.
const fieldNames = [
  'model',
  'messages',
  'maxTokens',
  'temperature',
  'passTokenId',
  'idempotencyKey',
  'lastEventId',
  'requestId',
  'name',
  'scopes',
  'expiresInDays',
  'id',
  'sessionId',
  'address',
  'cursor',
  'limit',
  'bucket',
  'count',
  'status',
  'batchId',
  'dryRun',
  'message',
  'signature',
  '__proto__',
  'constructor',
  'prototype',
]
const edgeStrings = fc.constantFrom(
  '',
  ' ',
  'dev-mini',
  'dev-pro',
  'NaN',
  '-1',
  '1e999',
  'Infinity',
  '0x10',
  '99999999999999999999999999999999999999999999999999999999999999999999999999999',
  '00000000-0000-0000-0000-000000000000',
  '0x0000000000000000000000000000000000000000',
  `0x${'ab'.repeat(32)}`,
  'day',
  'hour',
  'read',
  'ai',
  'PENDING',
  'x:1',
  'x'.repeat(129),
  'y'.repeat(201),
)
const edgeNumbers = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    2,
    1.5,
    64,
    100,
    101,
    128_000,
    128_001,
    2 ** 31,
    2 ** 53 + 2,
    1e308,
  ),
  fc.integer({ min: -5, max: 200 }),
  fc.double(),
)
const messageArbitrary = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      role: fc.constantFrom('user', 'system', 'assistant'),
      content: fc.string({ maxLength: 40 }),
    }),
  },
  fc.record(
    {
      role: fc.oneof(fc.constantFrom('developer', 'tool', '', 'USER'), fc.string()),
      content: fc.oneof(
        fc.string(),
        fc.constant([{ type: 'text', text: 'parts' }]),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    },
    { requiredKeys: [] },
  ),
)
const edgeValue: fc.Arbitrary<unknown> = fc.oneof(
  edgeStrings,
  edgeNumbers,
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 30 }),
  fc.array(messageArbitrary, { maxLength: 3 }),
  fc.constantFrom(['read'], ['ai', 'read'], ['admin'], []),
  fc.jsonValue({ maxDepth: 2 }),
)
const fieldsArbitrary = fc.dictionary(fc.constantFrom(...fieldNames), edgeValue, { maxKeys: 6 })
// A valid request, or one with a single field replaced by an edge value or left out: each
// run tests one thing going wrong, and the valid ones are served and charged.
export const breakOne = <T extends Record<string, unknown>>(
  valid: fc.Arbitrary<T>,
  fields: readonly string[] = fieldNames,
) =>
  fc.oneof(
    { weight: 2, arbitrary: valid },
    fc
      .tuple(valid, fc.constantFrom(...fields), edgeValue)
      .map(([record, field, value]) => ({ ...record, [field]: value })),
    fc.tuple(valid, fc.nat()).map(([record, at]) => {
      const keys = Object.keys(record)
      return Object.fromEntries(
        Object.entries(record).filter(([key]) => key !== keys[at % keys.length]),
      )
    }),
  )
const validMessages = fc.array(
  fc.record({
    role: fc.constantFrom('user', 'system', 'assistant'),
    content: fc.string({ maxLength: 40 }),
  }),
  { minLength: 1, maxLength: 3 },
)
const idempotencyKey = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  fc.constantFrom('fuzz-a', 'fuzz-b'),
)
export const chatArbitrary = breakOne(
  fc.record(
    {
      model: fc.constantFrom('dev-mini', 'dev-pro'),
      messages: validMessages,
      maxTokens: fc.integer({ min: 1, max: 24 }),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      idempotencyKey,
    },
    { requiredKeys: ['model', 'messages', 'maxTokens'] },
  ),
)
export const inputArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: chatArbitrary },
  { weight: 3, arbitrary: fieldsArbitrary },
  fc.jsonValue({ maxDepth: 4 }),
  fc.constant(undefined),
)

const superjsonTypes = [
  'undefined',
  'bigint',
  'number',
  'Date',
  'regexp',
  'set',
  'map',
  'Error',
  'URL',
  'symbol',
]
// superjson refuses to serialize prototype keys; the server must refuse them as sent.
export const serialize = (value: unknown): unknown => {
  try {
    return superjson.serialize(value)
  } catch {
    return { json: value }
  }
}

// The transformer's envelope, honest (superjson.serialize) or forged (meta naming types, classes
// and paths through prototypes that superjson must refuse to follow).
export const envelopeArbitrary = (input: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 5, arbitrary: input.map(serialize) },
    input.map((value) => ({ json: value })),
    input,
    fc.record({
      json: input,
      meta: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record({
          values: fc.dictionary(
            fc.constantFrom(...fieldNames, '__proto__.polluted', 'constructor.prototype.x', ''),
            fc.oneof(
              fc.constantFrom(...superjsonTypes).map((type) => [type]),
              fc.tuple(fc.constantFrom('class', 'custom', 'symbol'), fc.string()),
              fc.jsonValue({ maxDepth: 2 }),
            ),
            { maxKeys: 3 },
          ),
          referentialEqualities: fc.oneof(
            fc.constant(undefined),
            fc.constant({ messages: ['__proto__.polluted', 'constructor.prototype.polluted'] }),
            fc.jsonValue({ maxDepth: 2 }),
          ),
        }),
      ),
    }),
  )

// Bodies that are not what they claim: cut short, nested deeper than any parser plans for,
// numbers past every range, prototype keys, bytes that are not UTF-8.
export const malformedBodyArbitrary: fc.Arbitrary<string | Uint8Array | Long> = fc.oneof(
  envelopeArbitrary(inputArbitrary).chain((envelope) => {
    const text = toJson(envelope)
    return fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut))
  }),
  fc
    .tuple(fc.integer({ min: 1, max: 50_000 }), fc.constantFrom('[', '{"a":'))
    .map(([depth, open]) => {
      const close = open === '[' ? ']' : '}'
      return new Long(
        `{"json":${open.repeat(depth)}${open === '[' ? '' : '1'}${close.repeat(depth)}}`,
        `{"json": ${open} × ${depth} … }`,
      )
    }),
  fc
    .tuple(
      fc.constantFrom(...fieldNames),
      fc.constantFrom(
        '1e400',
        '-1e400',
        '123456789012345678901234567890',
        '-0',
        '1e-400',
        'NaN',
        'Infinity',
        '0x10',
        '01',
        '"\\ud800"',
        '"\\u0000"',
      ),
    )
    .map(([field, number]) => `{"json":{"${field}":${number}}}`),
  fc.constantFrom(
    '',
    'null',
    '"just a string"',
    '{"__proto__":{"polluted":1}}',
    '{"json":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}',
    '{"0":{"json":{"__proto__":{"polluted":1}}}}',
    '{"json":{"model":"dev-mini","messages":[{"role":"user","content":"hi"}],"maxTokens":1e400}}',
    '\uFEFF{"json":{}}',
  ),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }),
)

export const contentTypeArbitrary = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<string | undefined>(
      'application/json',
      'application/json; charset=utf-8',
      undefined,
    ),
  },
  fc.constantFrom(
    'application/json; charset=utf-16',
    'APPLICATION/JSON',
    'application/json;;;==',
    'text/plain',
    'text/event-stream',
    'multipart/form-data; boundary=x',
    'multipart/form-data',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    'application/jsonx',
  ),
  headerText(60),
)

/** `size` bytes of `x`, streamed in 64 KiB chunks (so sent chunked, without a Content-Length). */
export async function* chunks(size: number) {
  for (let sent = 0; sent < size; sent += 64 * 1024)
    yield Buffer.alloc(Math.min(64 * 1024, size - sent), 'x')
}

// Null three times in four: the value is the exception, not the rule.
export const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, arbitrary)

export const otherMethods = [
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'QUERY',
  'PROPFIND',
  'FOO',
]
export const methodArbitrary = (usual: readonly string[]) =>
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...usual) }, fc.constantFrom(...otherMethods))

// Query strings as they reach the server: percent-encoded text, raw visible ASCII (stray `%`s
// included) and broken escapes.
export const queryTextArbitrary = fc.oneof(
  fc.string({ maxLength: 200 }).map(encodeURIComponent),
  fc.string({ unit: visibleAscii, maxLength: 200 }).map((text) => text.replace(/#/g, '%23')),
  fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '%7B%22json%22%3A', '%5B1', '&&&', '=='),
)

// Headers beyond Authorization: idempotency and trace ids, request ids safe and unsafe to echo,
// SSE resumption, and one value large enough to overflow the server's header limit.
export const extraHeadersArbitrary = fc.record(
  {
    'idempotency-key': fc.oneof(
      { weight: 3, arbitrary: fc.uuid() },
      fc.constantFrom('', ' ', 'fuzz-a', 'fuzz-b', 'k'.repeat(129), 'k'.repeat(128)),
      headerText(140),
    ),
    traceparent: fc.oneof(
      fc.tuple(hex(32), hex(16)).map(([trace, span]) => `00-${trace}-${span}-01`),
      fc.constantFrom(
        '00-00000000000000000000000000000000-0000000000000000-00',
        'ff-zz-zz-zz',
        '00-',
        long('00-', 'a', 5_000, '-01'),
      ),
      headerText(100),
    ),
    tracestate: headerText(100),
    'x-request-id': fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9._:@/+=-]{1,128}$/),
      fc.constantFrom(
        '',
        'x'.repeat(129),
        '<script>alert(1)</script>',
        'a b',
        '"quoted"',
        '%0d%0a',
      ),
      headerText(160),
    ),
    'last-event-id': headerText(220),
    'x-forwarded-for': headerText(60),
    accept: fc.constantFrom('text/event-stream', 'application/json', '*/*', '', 'garbage/;;'),
    'x-huge': fc.oneof(
      { weight: 4, arbitrary: headerText(100) },
      fc.constantFrom(long('', 'h', 20_000), long('', 'h', 8_000)),
    ),
  },
  { requiredKeys: [] },
)
