import type { ChatMessage } from './types.js'

export type CountDevTokensParameters = string | readonly ChatMessage[]

export type CountDevTokensReturnType = number

export type CountDevTokensErrorType = never

/** Framing tokens per message (role and separators), as OpenAI's chat format spends ~3–4. */
export const devTokensPerMessage = 4
/** Tokens that prime the reply after the last message. */
export const devTokensPerReply = 2

// A token is a run of at most 6 letters, marks or digits (longer runs split every 6), or one
// other non-space character (punctuation, symbols, emoji). Whitespace is free. This lands near
// real tokenizers' ~4 characters per token for English and, unlike them, is exact, fast and
// dependency-free.
const tokenPattern = /[\p{L}\p{M}\p{N}]{1,6}|[^\s\p{L}\p{M}\p{N}]/gu

/**
 * The dev provider's tokenizer. A string counts its tokens; a message list counts each content
 * plus {@link devTokensPerMessage} per message and {@link devTokensPerReply} once, which is the
 * dev provider's `inputTokens`. Its output text re-counts to exactly its `outputTokens`.
 *
 * @example
 * countDevTokens('Lorem ipsum, consectetur.') // 6: lorem ipsum , consec tetur .
 */
export function countDevTokens(input: CountDevTokensParameters): CountDevTokensReturnType {
  if (typeof input === 'string') return countText(input)
  let total = devTokensPerReply
  for (const message of input) total += devTokensPerMessage + countText(message.content)
  return total
}

function countText(text: string): number {
  let count = 0
  tokenPattern.lastIndex = 0
  while (tokenPattern.exec(text) !== null) count++
  return count
}
