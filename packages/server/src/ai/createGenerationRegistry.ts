import { LRUCache } from 'lru-cache'
import type { Generation } from './createGeneration.js'

export type GenerationRegistry = {
  /** Keeps a generation for resumption while it runs and `retentionMs` after it ends. */
  add(generation: Generation, owner: string): void
  /** The generation behind a request id, only for the wallet that started it. */
  get(requestId: string, owner: string): Generation | undefined
}

export type CreateGenerationRegistryParameters = {
  /** How long a finished generation can still be replayed. Default 2 minutes. */
  retentionMs?: number | undefined
  /** Most generations kept; the oldest finished ones go first. Default 10 000. */
  max?: number | undefined
}

export type CreateGenerationRegistryReturnType = GenerationRegistry

/** In-process generations by request id, so a reconnecting client resumes the same one. */
export function createGenerationRegistry({
  retentionMs = 120_000,
  max = 10_000,
}: CreateGenerationRegistryParameters = {}): CreateGenerationRegistryReturnType {
  const generations = new LRUCache<string, { generation: Generation; owner: string }>({ max })
  return {
    add(generation, owner) {
      const entry = { generation, owner }
      generations.set(generation.requestId, entry)
      void generation.finished.then(() => {
        // Still the same entry (not evicted and re-added): start its retention clock.
        if (generations.peek(generation.requestId) === entry)
          generations.set(generation.requestId, entry, { ttl: retentionMs })
      })
    },
    get(requestId, owner) {
      const entry = generations.get(requestId)
      return entry && entry.owner === owner ? entry.generation : undefined
    },
  }
}
