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
import type { Provider, ProviderEvent, ProviderRequest, ProviderUsage } from './types.js'

export type CreateOpenAIProviderParameters = {
  /** @default kind ('openai' or 'openai-compatible') */
  name?: string | undefined
  /** Optional for compatible servers that need none (a local vLLM or Ollama). */
  apiKey?: string | undefined
  /** Everything before `/chat/completions`. @default 'https://api.openai.com/v1' */
  baseUrl?: string | undefined
  /**
   * `'openai'` sends `max_completion_tokens` (OpenAI deprecated `max_tokens`, and its reasoning
   * models reject it); `'openai-compatible'` sends `max_tokens`, which other servers understand.
   * @default 'openai'
   */
  kind?: 'openai' | 'openai-compatible' | undefined
  /** A shared pool. When absent the provider makes its own (see `timeouts`) and `close` ends it. */
  dispatcher?: Dispatcher | undefined
  /** For the pool made when no `dispatcher` is given. */
  timeouts?:
    | Pick<
        CreateProviderHttpAgentParameters,
        'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs'
      >
    | undefined
  /** Extra request headers, e.g. OpenRouter's `HTTP-Referer`. */
  headers?: Record<string, string> | undefined
}

export type CreateOpenAIProviderReturnType = Provider & {
  kind: 'openai' | 'openai-compatible'
  close: () => Promise<void>
}

export type CreateOpenAIProviderErrorType = InvalidInputError

/**
 * A provider for OpenAI's Chat Completions API and servers compatible with it (OpenRouter,
 * Together, vLLM, Ollama, …), streamed over SSE.
 *
 * It asks for usage (`stream_options.include_usage`) and passes the reported numbers through
 * unchanged, zero included: `inputTokens` = `prompt_tokens` (cached included),
 * `cachedInputTokens` = `prompt_tokens_details.cached_tokens`, `outputTokens` =
 * `completion_tokens`. A stream that finishes without usage (a server that ignores
 * `include_usage`) throws `ProviderError`: usage is never estimated.
 *
 * Errors: see `toProviderHttpError` (HTTP statuses) and `toProviderNetworkError`; an `error`
 * object inside the stream throws `ProviderUnavailableError` for server errors and
 * `ProviderError` otherwise; a stream cut before `[DONE]` throws a retryable
 * `ProviderUnavailableError`. An abort before usage arrived throws `ProviderAbortedError`.
 */
export function createOpenAIProvider(
  parameters: CreateOpenAIProviderParameters,
): CreateOpenAIProviderReturnType {
  const {
    kind = 'openai',
    name = kind,
    apiKey,
    baseUrl = 'https://api.openai.com/v1',
    headers = {},
    timeouts,
  } = parameters
  checkBaseUrl(baseUrl, name)
  const ownAgent = parameters.dispatcher ? undefined : createProviderHttpAgent(timeouts)
  const dispatcher = parameters.dispatcher ?? ownAgent
  const url = `${baseUrl.replace(/\/+$/, '')}/chat/completions`
  const secrets = apiKey ? [apiKey] : []
  const requestHeaders = {
    ...headers,
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  }

  async function* stream(request: ProviderRequest): AsyncGenerator<ProviderEvent, void, undefined> {
    const { model, messages, maxTokens, temperature, signal } = request
    const progress: ProviderStreamProgress = { deltas: 0, characters: 0 }
    let usage: ProviderUsage | undefined
    let finishReason: string | undefined
    let sawDone = false
    try {
      const events = await openEventStream({
        provider: name,
        model,
        url,
        headers: requestHeaders,
        body: {
          model,
          messages: messages.map(({ role, content }) => ({ role, content })),
          stream: true,
          stream_options: { include_usage: true },
          [kind === 'openai' ? 'max_completion_tokens' : 'max_tokens']: maxTokens,
          ...(temperature === undefined ? {} : { temperature }),
        },
        signal,
        dispatcher,
        secrets,
      })
      for await (const event of events) {
        // Read on to the end of the body after [DONE] rather than cancel it: a cancelled body
        // closes the connection instead of returning it to the pool.
        if (sawDone) continue
        signal?.throwIfAborted()
        if (event.data === '[DONE]') {
          sawDone = true
          continue
        }
        const chunk = parseChunk(event.data, name, secrets)
        const choice = chunk.choices?.[0]
        const text = choice?.delta?.content
        if (typeof text === 'string' && text !== '') {
          progress.deltas++
          progress.characters += text.length
          yield { type: 'delta', text }
        }
        if (typeof choice?.finish_reason === 'string') finishReason = choice.finish_reason
        if (chunk.usage) usage = toUsage(chunk.usage, name)
      }
    } catch (error) {
      // Usage already in hand makes a failure while reading the last bytes harmless.
      if (!(usage && sawDone)) {
        if (signal?.aborted && !isBaseError(error)) {
          if (!usage) throw new ProviderAbortedError(undefined, { provider: name, progress })
          yield { type: 'done', usage, finishReason: 'abort' }
          return
        }
        if (isBaseError(error)) throw error
        throw toProviderNetworkError({ provider: name, error })
      }
    }

    if (usage) {
      yield { type: 'done', usage, finishReason: finishReason ?? 'stop' }
      return
    }
    if (sawDone || finishReason)
      throw new ProviderError('The AI provider did not report token usage.', {
        provider: name,
        details: `Provider '${name}' finished without reporting usage, so the request cannot be priced.`,
        metaMessages: [
          `Provider: ${name}`,
          `Model: ${model}`,
          'The server ignored stream_options.include_usage; use a server or version that honours it.',
        ],
      })
    throw new ProviderUnavailableError(undefined, {
      provider: name,
      reason: 'network',
      metaMessages: [`Provider: ${name}`, 'The stream ended before [DONE].'],
    })
  }

  return {
    name,
    kind,
    stream,
    async close() {
      await ownAgent?.close()
    },
  }
}

type ChatCompletionChunk = {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[]
  usage?: {
    prompt_tokens?: unknown
    completion_tokens?: unknown
    prompt_tokens_details?: { cached_tokens?: unknown } | null
  } | null
  error?: { message?: unknown; type?: unknown; code?: unknown }
}

function parseChunk(data: string, provider: string, secrets: readonly string[]) {
  let chunk: ChatCompletionChunk
  try {
    chunk = JSON.parse(data) as ChatCompletionChunk
  } catch {
    throw new ProviderError('The AI provider sent a malformed stream.', {
      provider,
      details: `Provider '${provider}' sent an event that is not JSON.`,
      metaMessages: [`Event: ${redactSecrets({ text: data.slice(0, 200), secrets })}`],
    })
  }
  if (typeof chunk !== 'object' || chunk === null)
    throw new ProviderError('The AI provider sent a malformed stream.', { provider })
  if (chunk.error) {
    // A mid-stream error object: OpenAI sends `server_error` when generation fails.
    const { type, code, message } = chunk.error
    const label = `${String(type ?? '')} ${String(code ?? '')}`.trim()
    const metaMessages = [
      `Provider: ${provider}`,
      `Upstream error: ${redactSecrets({ text: label, secrets })}`,
      `Upstream message: ${redactSecrets({ text: String(message ?? ''), secrets }).slice(0, 500)}`,
    ]
    if (/server_error|overloaded|rate_limit|timeout/.test(label))
      throw new ProviderUnavailableError(undefined, {
        provider,
        reason: label.includes('rate_limit') ? 'rate-limited' : 'upstream',
        metaMessages,
      })
    throw new ProviderError(undefined, {
      provider,
      details: `Provider '${provider}' reported an error mid-stream.`,
      metaMessages,
    })
  }
  return chunk
}

function toUsage(usage: NonNullable<ChatCompletionChunk['usage']>, provider: string) {
  const inputTokens = usage.prompt_tokens
  const outputTokens = usage.completion_tokens
  const cachedInputTokens = usage.prompt_tokens_details?.cached_tokens ?? 0
  if (
    !isCount(inputTokens) ||
    !isCount(outputTokens) ||
    !isCount(cachedInputTokens) ||
    // prompt_tokens includes the cached ones; more cached than in total cannot be priced.
    cachedInputTokens > inputTokens
  )
    throw new ProviderError('The AI provider reported invalid token usage.', {
      provider,
      details: `Provider '${provider}' reported usage that is not a set of token counts.`,
      metaMessages: [`Usage: ${JSON.stringify(usage).slice(0, 300)}`],
    })
  return { inputTokens, cachedInputTokens, outputTokens }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
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
