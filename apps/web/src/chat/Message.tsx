import type { TokenUsage } from '@accesspoint/client'
import { formatCount, usd6 } from '../ui/format'
import type { Turn } from './types'

export function UserMessage({ content }: { content: string }) {
  return (
    <li className="message message-user" data-testid="message-user">
      <span className="visually-hidden">You said:</span>
      <div className="bubble">{content}</div>
    </li>
  )
}

/** An assistant answer: streaming, complete (with its cost), stopped or broken off. */
export function AssistantMessage({
  content,
  model,
  status,
  costMicroUsd,
  usage,
}: {
  content: string
  model: string
  status: 'streaming' | Extract<Turn, { role: 'assistant' }>['status']
  costMicroUsd?: bigint | undefined
  usage?: TokenUsage | undefined
}) {
  return (
    <li className="message message-assistant" data-testid="message-assistant" data-status={status}>
      <span className="visually-hidden">{model} answered:</span>
      <div className="bubble" aria-busy={status === 'streaming'}>
        {content}
        {status === 'streaming' ? <span className="cursor" aria-hidden="true" /> : null}
        {status === 'streaming' && !content ? <span className="muted">Thinking…</span> : null}
      </div>
      {status === 'done' && costMicroUsd !== undefined ? (
        <p
          className="message-meta"
          data-testid="answer-cost"
          data-micro-usd={costMicroUsd.toString()}
        >
          <span className="cost">Cost {usd6(costMicroUsd)}</span>
          {usage ? (
            <span>
              {formatCount(usage.inputTokens)} in · {formatCount(usage.outputTokens)} out tokens
              {usage.cachedInputTokens > 0
                ? ` · ${formatCount(usage.cachedInputTokens)} cached`
                : ''}
            </span>
          ) : null}
          <span>{model}</span>
        </p>
      ) : null}
      {status === 'stopped' ? (
        <p className="message-meta">
          Stopped. The server still finishes and bills this answer; its charge shows under Usage.
        </p>
      ) : null}
      {status === 'failed' ? (
        <p className="message-meta error-text">The answer broke off.</p>
      ) : null}
    </li>
  )
}
