import type { TokenUsage } from '@accesspoint/client'

export type UserTurn = { id: string; role: 'user'; content: string }

export type AssistantTurn = {
  id: string
  role: 'assistant'
  content: string
  model: string
  /** done: complete and charged; stopped: the user stopped reading; failed: broke off. */
  status: 'done' | 'stopped' | 'failed'
  costMicroUsd?: bigint | undefined
  usage?: TokenUsage | undefined
}

export type Turn = UserTurn | AssistantTurn

let counter = 0
export function turnId(): string {
  counter++
  return `turn-${Date.now().toString(36)}-${counter}`
}
