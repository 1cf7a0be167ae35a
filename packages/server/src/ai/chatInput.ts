import { z } from 'zod'

/** One chat message; content bounded so one request cannot pin megabytes of memory. */
export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(200_000),
})

/** What `ai.complete` and `ai.stream` take. */
export const chatInputSchema = z.object({
  model: z.string().min(1).max(128),
  messages: z.array(chatMessageSchema).min(1).max(256),
  maxTokens: z.number().int().min(1).max(128_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  /** Which of the wallet's passes pays; the first one when left out. API keys bill their own. */
  passTokenId: z
    .union([z.bigint(), z.string().regex(/^\d{1,78}$/)])
    .transform(BigInt)
    .optional(),
  /** A retry with the same key gets the first result and is never charged twice. */
  idempotencyKey: z.string().min(1).max(128).optional(),
})

export type ChatInput = z.infer<typeof chatInputSchema>
