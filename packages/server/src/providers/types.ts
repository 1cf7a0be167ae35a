export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string }

/**
 * Token counts as the provider reported them, never estimated. `inputTokens` includes the cached
 * ones (OpenAI's `prompt_tokens` convention, the one `calculateRequestCost` expects), so
 * `cachedInputTokens <= inputTokens` always holds.
 */
export type ProviderUsage = { inputTokens: number; cachedInputTokens: number; outputTokens: number }

export type ProviderFinishReason = 'stop' | 'length' | 'abort' | (string & {})

export type ProviderEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; usage: ProviderUsage; finishReason: ProviderFinishReason }

export type ProviderRequest = {
  /** The provider's own model id (e.g. 'gpt-4o-mini', 'claude-3-5-haiku-latest', 'dev-mini'). */
  model: string
  messages: readonly ChatMessage[]
  maxTokens: number
  temperature?: number | undefined
  signal?: AbortSignal | undefined
}

export type ProviderKind = 'dev' | 'openai' | 'anthropic' | 'openai-compatible'

export type Provider = {
  /** Configured name, e.g. 'openai', 'anthropic', 'dev', 'openrouter'. */
  name: string
  kind: ProviderKind
  /**
   * Text deltas, then exactly one `done` with the provider-reported usage. Throws typed errors
   * (see `errors.ts`).
   *
   * When `request.signal` aborts, the stream stops. A provider that knows the usage so far (the
   * dev provider counts exactly) ends with `done` and finishReason `'abort'`; an HTTP provider,
   * whose usage arrives only at the end, throws `ProviderAbortedError` with what it streamed.
   */
  stream(request: ProviderRequest): AsyncIterable<ProviderEvent>
  /** Releases pooled connections. Providers that own none leave it out. */
  close?: (() => Promise<void>) | undefined
}

/** The pino subset used here. */
export type ProviderLogger = {
  warn(object: object, message?: string): void
  error(object: object, message?: string): void
  debug(object: object, message?: string): void
}
