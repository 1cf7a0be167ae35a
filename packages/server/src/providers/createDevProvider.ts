import { InvalidInputError } from '@accesspoint/core'
import { countDevTokens } from './countDevTokens.js'
import type { ChatMessage, Provider, ProviderEvent, ProviderRequest } from './types.js'

export type CreateDevProviderParameters = {
  /** @default 'dev' */
  name?: string | undefined
  /** Pause before each token after the first. `0` streams without timers. @default 20 */
  tokenDelayMs?: number | undefined
  /** Pause before the first token, to imitate a model's time to first token. @default 0 */
  firstTokenDelayMs?: number | undefined
}

export type CreateDevProviderReturnType = Provider & { kind: 'dev' }

export type CreateDevProviderErrorType = InvalidInputError

/** Natural replies are whole sentences and at least this many tokens long... */
const minReplyTokens = 40
/** ...aiming at no more than this (the last sentence may run a little over). */
const maxReplyTokens = 120
/** Longer words stream as several pieces, matching `countDevTokens`. */
const pieceLength = 6

// biome-ignore format: a word list reads better packed
const vocabulary = [
  'lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'do',
  'eiusmod', 'tempor', 'incididunt', 'ut', 'labore', 'et', 'dolore', 'magna', 'aliqua', 'enim',
  'ad', 'minim', 'veniam', 'quis', 'nostrud', 'exercitation', 'ullamco', 'laboris', 'nisi',
  'aliquip', 'ex', 'ea', 'commodo', 'consequat', 'duis', 'aute', 'irure', 'in', 'voluptate',
  'velit', 'esse', 'cillum', 'fugiat', 'nulla', 'pariatur', 'excepteur', 'sint', 'occaecat',
  'cupidatat', 'non', 'proident', 'sunt', 'culpa', 'qui', 'officia', 'deserunt', 'mollit',
  'anim', 'id', 'est', 'laborum',
] as const

/**
 * The built-in provider for development and tests: no key, no network, real streaming and exact
 * usage.
 *
 * The reply is lorem-ipsum text chosen by a hash of the last user message (so the same prompt
 * always gets the same reply, whatever the temperature), 40 to ~130 tokens of whole sentences
 * ending with finishReason `'stop'`, or cut at `maxTokens` with `'length'`. Each `delta` is one
 * token of {@link countDevTokens}: `inputTokens` is `countDevTokens(messages)` and `outputTokens`
 * is the number of deltas yielded. An aborted `signal` ends the stream with finishReason
 * `'abort'` and the tokens yielded so far.
 */
export function createDevProvider(
  parameters: CreateDevProviderParameters = {},
): CreateDevProviderReturnType {
  const { name = 'dev', tokenDelayMs = 20, firstTokenDelayMs = 0 } = parameters
  for (const [key, value] of Object.entries({ tokenDelayMs, firstTokenDelayMs }))
    if (!(Number.isFinite(value) && value >= 0))
      throw new InvalidInputError(`The dev provider's ${key} must be a number of ms ≥ 0.`)

  return {
    name,
    kind: 'dev',
    stream: (request) => streamReply(request, tokenDelayMs, firstTokenDelayMs),
  }
}

async function* streamReply(
  request: ProviderRequest,
  tokenDelayMs: number,
  firstTokenDelayMs: number,
): AsyncGenerator<ProviderEvent, void, undefined> {
  const { maxTokens, messages, signal } = request
  if (!(Number.isSafeInteger(maxTokens) && maxTokens >= 1))
    throw new InvalidInputError('maxTokens must be a whole number ≥ 1.', {
      issues: [{ path: 'maxTokens', message: `Got ${maxTokens}.` }],
    })
  const inputTokens = countDevTokens(messages)
  const pieces = composeReply(messages, maxTokens)
  const limit = Math.min(pieces.length, maxTokens)
  let outputTokens = 0
  const usage = () => ({ inputTokens, cachedInputTokens: 0, outputTokens })

  if (firstTokenDelayMs > 0) await sleep(firstTokenDelayMs, signal)
  while (outputTokens < limit) {
    if (outputTokens > 0 && tokenDelayMs > 0) await sleep(tokenDelayMs, signal)
    if (signal?.aborted) {
      yield { type: 'done', usage: usage(), finishReason: 'abort' }
      return
    }
    const text = pieces[outputTokens] as string
    outputTokens++
    yield { type: 'delta', text }
  }
  yield { type: 'done', usage: usage(), finishReason: limit < pieces.length ? 'length' : 'stop' }
}

/**
 * The reply as token-sized pieces, each with the space that precedes it; composed only until it
 * is longer than `maxTokens` (a bot asking for 16 tokens does not pay for 120), which is still
 * enough to tell 'length' from 'stop'.
 */
function composeReply(messages: readonly ChatMessage[], maxTokens: number): string[] {
  const lastUser = messages.findLast((message) => message.role === 'user')
  const random = mulberry32(fnv1a(lastUser?.content ?? messages.map((m) => m.content).join('\n')))
  const target = minReplyTokens + Math.floor(random() * (maxReplyTokens - minReplyTokens + 1))
  const pieces: string[] = []
  while (pieces.length < target && pieces.length <= maxTokens) {
    const words = 5 + Math.floor(random() * 10)
    for (let i = 0; i < words; i++) {
      let word = vocabulary[Math.floor(random() * vocabulary.length)] as string
      if (i === 0) word = word.charAt(0).toUpperCase() + word.slice(1)
      for (let at = 0; at < word.length; at += pieceLength) {
        const piece = word.slice(at, at + pieceLength)
        pieces.push(at === 0 && pieces.length > 0 ? ` ${piece}` : piece)
      }
      if (i < words - 1 && random() < 0.15) pieces.push(',')
    }
    pieces.push('.')
  }
  return pieces
}

// FNV-1a (32-bit): a tiny, stable string hash; only determinism matters here.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

function mulberry32(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts (the caller then checks `aborted`). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
