import { InvalidInputError, type InvalidInputErrorType } from '@accesspoint/core'

/** A part of a message's content, as in OpenAI's chat format. */
export type InputContentPart =
  | { type: 'text'; text: string }
  | { type: string; [key: string]: unknown }

/** A chat message, as in OpenAI's chat format. */
export type InputMessage = {
  role: string
  content?: string | readonly InputContentPart[] | null | undefined
  name?: string | undefined
  /** Anything else the provider renders into the prompt (`tool_calls`, `tool_call_id`…). */
  [key: string]: unknown
}

export type CountInputTokensUpperBoundParameters = [
  messages: readonly InputMessage[],
  options?: {
    /** Tool (function) definitions sent with the request; providers render them into the prompt. */
    tools?: readonly unknown[] | undefined
  },
]

export type CountInputTokensUpperBoundReturnType = number

export type CountInputTokensUpperBoundErrorType = InvalidInputErrorType

/**
 * Tokens a chat template may add around each message (role markers, separators), per content
 * part, per tool definition, and once per request (reply priming). OpenAI's documented overhead
 * is 3 per message + 3 per request (+1 for a name); these leave a wide margin for other
 * templates and for SentencePiece's dummy-prefix token at the start of each text segment.
 */
export const tokenOverhead = { request: 16, message: 16, part: 4, tool: 16 } as const

/**
 * A number of input tokens no provider's tokenizer will exceed for these messages, without
 * shipping a tokenizer.
 *
 * Why bytes bound tokens: byte-level BPE (OpenAI's cl100k/o200k, Llama 3, Anthropic's) splits the
 * UTF-8 bytes of the text into tokens of at least one byte each, and SentencePiece with byte
 * fallback (Llama 2, Mistral, Gemma) emits either a piece of at least one character or a single
 * byte token, so no tokenizer makes more tokens than the text has bytes. Tokenizers that apply
 * NFKC first can grow the text (the ligature U+FDFA becomes 18 characters), so each text counts
 * as the larger of its raw and NFKC byte lengths. Template tokens are covered by
 * {@link tokenOverhead}; fields other than `content` (`tool_calls`, …) and tool definitions count as
 * their JSON, which is longer than any rendering of them we know.
 *
 * The bound is loose (English is about 4 bytes a token), which only means a larger hold for the
 * request's duration; the charge is the provider's reported usage.
 *
 * @throws {InvalidInputError} For content parts other than text (images, audio), whose token
 * count depends on the media, not on the request's size.
 */
export function countInputTokensUpperBound(
  ...[messages, { tools = [] } = {}]: CountInputTokensUpperBoundParameters
): CountInputTokensUpperBoundReturnType {
  let total = tokenOverhead.request
  messages.forEach((message, index) => {
    const { content, ...rest } = message
    total += tokenOverhead.message + textBytes(JSON.stringify(rest))
    if (typeof content === 'string') total += textBytes(content)
    else if (content)
      content.forEach((part, partIndex) => {
        if (part.type !== 'text' || typeof part.text !== 'string')
          throw new InvalidInputError(
            `Content parts of type ${JSON.stringify(String(part.type).slice(0, 32))} are not supported; send text only.`,
            {
              issues: [
                {
                  path: `messages[${index}].content[${partIndex}].type`,
                  message: 'expected "text"',
                },
              ],
            },
          )
        total += tokenOverhead.part + textBytes(part.text)
      })
  })
  for (const tool of tools) total += tokenOverhead.tool + textBytes(JSON.stringify(tool) ?? '')
  return total
}

function textBytes(text: string): number {
  const raw = Buffer.byteLength(text, 'utf8')
  // Normalizing only changes non-ASCII text; skip the copy for the common case.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (/^[\x00-\x7f]*$/.test(text)) return raw
  return Math.max(raw, Buffer.byteLength(text.normalize('NFKC'), 'utf8'))
}
