import { InvalidInputError, isBaseError } from '@accesspoint/core'
import type { Dispatcher } from 'undici'
import {
  type CreateProviderHttpAgentParameters,
  createProviderHttpAgent,
} from './createProviderHttpAgent.js'
import {
  ProviderAbortedError,
  ProviderError,
  type ProviderStreamProgress,
  ProviderUnavailableError,
} from './errors.js'
import { openEventStream } from './openEventStream.js'
import { redactSecrets } from './redactSecrets.js'
import { toProviderNetworkError } from './toProviderNetworkError.js'
import type {
  Provider,
  ProviderEvent,
  ProviderFinishReason,
  ProviderRequest,
  ProviderUsage,
} from './types.js'

export type CreateAnthropicProviderParameters = {
  /** @default 'anthropic' */
  name?: string | undefined
  apiKey: string
  /** Everything before `/v1/messages`. @default 'https://api.anthropic.com' */
  baseUrl?: string | undefined
  /** The `anthropic-version` header. @default '2023-06-01' */
  version?: string | undefined
  /** A shared pool. When absent the provider makes its own (see `timeouts`) and `close` ends it. */
  dispatcher?: Dispatcher | undefined
  /** For the pool made when no `dispatcher` is given. */
  timeouts?:
    | Pick<
        CreateProviderHttpAgentParameters,
        'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs'
      >
    | undefined
}

export type CreateAnthropicProviderReturnType = Provider & {
  kind: 'anthropic'
  close: () => Promise<void>
}

export type CreateAnthropicProviderErrorType = InvalidInputError

/**
 * A provider for Anthropic's Messages API, streamed over SSE. System messages move to the
 * top-level `system` field (joined by blank lines, in order).
 *
 * Usage comes from `message_start` (input side) and the last `message_delta` (output side), and
 * follows our convention that `inputTokens` includes cached tokens: `inputTokens` =
 * `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`, `cachedInputTokens` =
 * `cache_read_input_tokens`. Cache writes are billed as ordinary input, since the price list
 * has no separate rate for them. `stop_reason` end_turn / stop_sequence → `'stop'`, max_tokens →
 * `'length'`, anything else passes through.
 *
 * Errors: HTTP statuses as in `toProviderHttpError`; an `error` event throws
 * `ProviderUnavailableError` for `overloaded_error`, `api_error` and `rate_limit_error`, and
 * `ProviderError` otherwise; a stream without `message_stop` throws a retryable
 * `ProviderUnavailableError`. An abort before the final usage throws `ProviderAbortedError`
 * carrying the input tokens already reported.
 */
export function createAnthropicProvider(
  parameters: CreateAnthropicProviderParameters,
): CreateAnthropicProviderReturnType {
  const {
    name = 'anthropic',
    apiKey,
    baseUrl = 'https://api.anthropic.com',
    version = '2023-06-01',
    timeouts,
  } = parameters
  checkBaseUrl(baseUrl, name)
  const ownAgent = parameters.dispatcher ? undefined : createProviderHttpAgent(timeouts)
  const dispatcher = parameters.dispatcher ?? ownAgent
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/messages`
  const secrets = [apiKey]
  const headers = { 'x-api-key': apiKey, 'anthropic-version': version }

  async function* stream(request: ProviderRequest): AsyncGenerator<ProviderEvent, void, undefined> {
    const { model, messages, maxTokens, temperature, signal } = request
    const progress: ProviderStreamProgress = { deltas: 0, characters: 0 }
    const input = { uncached: 0, cacheRead: 0, cacheWrite: 0, known: false }
    let outputTokens: number | undefined
    let stopReason: string | undefined
    let sawStop = false
    const usage = (): ProviderUsage | undefined =>
      input.known && outputTokens !== undefined
        ? {
            inputTokens: input.uncached + input.cacheRead + input.cacheWrite,
            cachedInputTokens: input.cacheRead,
            outputTokens,
          }
        : undefined

    const system = messages.filter((message) => message.role === 'system')
    try {
      const events = await openEventStream({
        provider: name,
        model,
        url,
        headers,
        body: {
          model,
          max_tokens: maxTokens,
          stream: true,
          ...(system.length
            ? { system: system.map((message) => message.content).join('\n\n') }
            : {}),
          messages: messages
            .filter((message) => message.role !== 'system')
            .map(({ role, content }) => ({ role, content })),
          ...(temperature === undefined ? {} : { temperature }),
        },
        signal,
        dispatcher,
        secrets,
      })
      for await (const event of events) {
        // After message_stop the body is read to its end, so the connection goes back to the pool.
        if (sawStop) continue
        signal?.throwIfAborted()
        const payload = parsePayload(event.data, name, secrets)
        switch (payload.type) {
          case 'message_start': {
            const reported = payload.message?.usage
            if (!reported) break
            input.uncached = count(reported.input_tokens, name)
            input.cacheRead = count(reported.cache_read_input_tokens ?? 0, name)
            input.cacheWrite = count(reported.cache_creation_input_tokens ?? 0, name)
            input.known = true
            break
          }
          case 'content_block_delta': {
            const text = payload.delta?.type === 'text_delta' ? payload.delta.text : undefined
            if (typeof text === 'string' && text !== '') {
              progress.deltas++
              progress.characters += text.length
              yield { type: 'delta', text }
            }
            break
          }
          case 'message_delta': {
            if (typeof payload.delta?.stop_reason === 'string')
              stopReason = payload.delta.stop_reason
            const reported = payload.usage
            if (!reported) break
            // Cumulative counts; newer API versions repeat the input side here too.
            if (reported.output_tokens !== undefined)
              outputTokens = count(reported.output_tokens, name)
            if (reported.input_tokens != null) input.uncached = count(reported.input_tokens, name)
            if (reported.cache_read_input_tokens != null)
              input.cacheRead = count(reported.cache_read_input_tokens, name)
            if (reported.cache_creation_input_tokens != null)
              input.cacheWrite = count(reported.cache_creation_input_tokens, name)
            break
          }
          case 'message_stop':
            sawStop = true
            break
          case 'error':
            throw toStreamError(payload.error, name, secrets)
          default:
            // ping, content_block_start / _stop, and event types added later.
            break
        }
      }
    } catch (error) {
      const known = usage()
      if (!(known && sawStop)) {
        if (signal?.aborted && !isBaseError(error)) {
          if (!known)
            throw new ProviderAbortedError(undefined, {
              provider: name,
              progress,
              inputTokens: input.known
                ? input.uncached + input.cacheRead + input.cacheWrite
                : undefined,
            })
          yield { type: 'done', usage: known, finishReason: 'abort' }
          return
        }
        if (isBaseError(error)) throw error
        throw toProviderNetworkError({ provider: name, error })
      }
    }

    const known = usage()
    if (sawStop && known) {
      yield { type: 'done', usage: known, finishReason: toFinishReason(stopReason) }
      return
    }
    if (sawStop)
      throw new ProviderError('The AI provider did not report token usage.', {
        provider: name,
        details: `Provider '${name}' finished without reporting usage, so the request cannot be priced.`,
        metaMessages: [`Provider: ${name}`, `Model: ${model}`],
      })
    throw new ProviderUnavailableError(undefined, {
      provider: name,
      reason: 'network',
      metaMessages: [`Provider: ${name}`, 'The stream ended before message_stop.'],
    })
  }

  return {
    name,
    kind: 'anthropic',
    stream,
    async close() {
      await ownAgent?.close()
    },
  }
}

type AnthropicUsage = {
  input_tokens?: unknown
  output_tokens?: unknown
  cache_read_input_tokens?: unknown
  cache_creation_input_tokens?: unknown
}

type AnthropicEvent = {
  type?: string
  message?: { usage?: AnthropicUsage }
  delta?: { type?: string; text?: unknown; stop_reason?: unknown }
  usage?: AnthropicUsage
  error?: { type?: unknown; message?: unknown }
}

function parsePayload(data: string, provider: string, secrets: readonly string[]): AnthropicEvent {
  try {
    const payload: unknown = JSON.parse(data)
    if (typeof payload === 'object' && payload !== null) return payload as AnthropicEvent
  } catch {}
  throw new ProviderError('The AI provider sent a malformed stream.', {
    provider,
    details: `Provider '${provider}' sent an event that is not a JSON object.`,
    metaMessages: [`Event: ${redactSecrets({ text: data.slice(0, 200), secrets })}`],
  })
}

function count(value: unknown, provider: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value
  throw new ProviderError('The AI provider reported invalid token usage.', {
    provider,
    details: `Provider '${provider}' reported a token count that is not a whole number ≥ 0.`,
    metaMessages: [`Value: ${JSON.stringify(value)}`],
  })
}

function toFinishReason(stopReason: string | undefined): ProviderFinishReason {
  if (stopReason === undefined || stopReason === 'end_turn' || stopReason === 'stop_sequence')
    return 'stop'
  if (stopReason === 'max_tokens') return 'length'
  return stopReason
}

function toStreamError(
  error: AnthropicEvent['error'],
  provider: string,
  secrets: readonly string[],
): ProviderError | ProviderUnavailableError {
  const type = typeof error?.type === 'string' ? error.type : 'unknown'
  const message = typeof error?.message === 'string' ? error.message : ''
  const metaMessages = [
    `Provider: ${provider}`,
    `Upstream error: ${redactSecrets({ text: type, secrets })}`,
    `Upstream message: ${redactSecrets({ text: message, secrets }).slice(0, 500)}`,
  ]
  if (type === 'overloaded_error' || type === 'api_error' || type === 'rate_limit_error')
    return new ProviderUnavailableError(undefined, {
      provider,
      reason: type === 'rate_limit_error' ? 'rate-limited' : 'upstream',
      metaMessages,
    })
  return new ProviderError(undefined, {
    provider,
    details: `Provider '${provider}' reported an error mid-stream.`,
    metaMessages,
  })
}

// Checked at start-up, without echoing the URL: it may hold credentials. `fetch` refuses URLs
// with a user:password part, so those are refused here with the fix.
function checkBaseUrl(baseUrl: string, provider: string) {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new InvalidInputError(`The base URL of provider '${provider}' is not an http(s) URL.`)
  if (url.username || url.password)
    throw new InvalidInputError(
      `The base URL of provider '${provider}' contains credentials; pass the key as apiKey instead.`,
    )
}
