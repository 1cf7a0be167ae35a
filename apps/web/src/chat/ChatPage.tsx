import type { ChatMessage } from '@accesspoint/client'
import type { MeData } from '@accesspoint/client/query'
import { useChatStream, useModels } from '@accesspoint/react'
import {
  type Dispatch,
  type KeyboardEvent,
  type SetStateAction,
  useEffect,
  useRef,
  useState,
} from 'react'
import { errorCode, errorMessage, isAbort } from '../ui/errors'
import { SparkIcon } from '../ui/icons'
import { Notice } from '../ui/Notice'
import { Spinner } from '../ui/Spinner'
import { ChatError } from './ChatError'
import { AssistantMessage, UserMessage } from './Message'
import { ModelSelect } from './ModelSelect'
import { type Turn, turnId } from './types'

const modelStorageKey = 'accesspoint.web.model'

const suggestions = [
  'Explain Sign-In with Ethereum in two sentences.',
  'Write a haiku about prepaid credit.',
  'What should a trading bot log on every request?',
]

/**
 * The conversation: the whole history goes with each request (`messages`), the answer streams in
 * (`useChatStream`), and each complete answer shows what it cost. The balance refetches after
 * every answer (the hook invalidates it).
 */
export function ChatPage({
  me,
  turns,
  setTurns,
}: {
  me: MeData
  turns: Turn[]
  setTurns: Dispatch<SetStateAction<Turn[]>>
}) {
  const models = useModels()
  const chat = useChatStream()
  const [prompt, setPrompt] = useState('')
  const [selected, setSelected] = useState(() => readStoredModel())
  const [pending, setPending] = useState<{ model: string } | undefined>(undefined)
  const [failure, setFailure] = useState<unknown>(undefined)
  const listRef = useRef<HTMLOListElement>(null)
  const inputRef = useRef<HTMLTextAreaElement>(null)

  const available = models.data ?? []
  const model = available.find((item) => item.id === selected) ?? available[0]
  const streaming = chat.status === 'streaming'
  const passTokenId = me.passes[0]?.tokenId

  // When a stream ends, its answer joins the conversation (or the question comes back).
  useEffect(() => {
    if (!pending || (chat.status !== 'done' && chat.status !== 'error')) return
    setPending(undefined)
    if (chat.status === 'done') {
      setTurns((current) => [
        ...current,
        {
          id: turnId(),
          role: 'assistant',
          content: chat.text,
          model: pending.model,
          status: 'done',
          costMicroUsd: chat.costMicroUsd,
          usage: chat.usage,
        },
      ])
      return
    }
    const error = chat.error
    if (isAbort(error)) {
      setTurns((current) => [
        ...current,
        {
          id: turnId(),
          role: 'assistant',
          content: chat.text,
          model: pending.model,
          status: 'stopped',
        },
      ])
      return
    }
    setFailure(error)
    if (chat.text) {
      setTurns((current) => [
        ...current,
        {
          id: turnId(),
          role: 'assistant',
          content: chat.text,
          model: pending.model,
          status: 'failed',
        },
      ])
      return
    }
    // Nothing was answered: take the question back into the box, to send again.
    const last = turns.at(-1)
    if (last?.role === 'user') {
      setTurns((current) => current.filter((turn) => turn.id !== last.id))
      setPrompt((text) => text || last.content)
    }
  }, [chat.status, chat.text, chat.error, chat.costMicroUsd, chat.usage, pending, turns, setTurns])

  // A new message scrolls into view; a streaming answer is followed unless the reader scrolled up.
  const turnsKey = `${turns.length}:${pending ? 'pending' : ''}`
  useEffect(() => {
    const list = listRef.current
    if (list && turnsKey !== '0:') list.scrollTop = list.scrollHeight
  }, [turnsKey])
  const textLength = chat.text.length
  useEffect(() => {
    const list = listRef.current
    if (!list || textLength === 0) return
    const distance = list.scrollHeight - list.scrollTop - list.clientHeight
    if (distance < 160) list.scrollTop = list.scrollHeight
  }, [textLength])

  const choose = (id: string) => {
    setSelected(id)
    try {
      window.localStorage.setItem(modelStorageKey, id)
    } catch {
      // Not remembered; fine.
    }
  }

  const send = (text: string = prompt) => {
    const content = text.trim()
    if (!content || !model || streaming) return
    const history: ChatMessage[] = turns
      .filter((turn) => turn.content.length > 0)
      .map((turn) => ({ role: turn.role, content: turn.content }))
    setTurns((current) => [...current, { id: turnId(), role: 'user', content }])
    setPending({ model: model.id })
    setFailure(undefined)
    setPrompt('')
    void chat.start({ model: model.id, messages: [...history, { role: 'user', content }] })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send()
    }
  }

  const clear = () => {
    if (streaming) {
      // Dropped, not kept as a stopped answer: the conversation starts over.
      setPending(undefined)
      chat.abort()
    }
    setTurns([])
    setFailure(undefined)
    inputRef.current?.focus()
  }

  return (
    <div className="chat card">
      <div className="chat-toolbar">
        {models.error ? (
          <Notice tone="danger" title="Could not load models" code={errorCode(models.error)}>
            {errorMessage(models.error)}
          </Notice>
        ) : models.isPending ? (
          <p className="muted">
            <Spinner size="sm" /> Loading models…
          </p>
        ) : (
          <ModelSelect
            models={available}
            value={model?.id ?? ''}
            onChange={choose}
            disabled={streaming}
          />
        )}
        {turns.length > 0 ? (
          <button type="button" className="btn btn-sm btn-ghost" onClick={clear}>
            New chat
          </button>
        ) : null}
      </div>

      {me.passes.length === 0 ? (
        <Notice tone="warning" title="No pass to pay from">
          Requests are paid from an AccessPass&apos;s credit, and this wallet holds none.
        </Notice>
      ) : null}

      <ol className="messages" ref={listRef} aria-live="polite" aria-label="Conversation">
        {turns.length === 0 && !pending ? (
          <li className="empty-chat">
            <span className="empty-icon" aria-hidden="true">
              <SparkIcon />
            </span>
            <p className="empty-title">Ask anything</p>
            <p className="muted small">
              Each answer is priced by its tokens and paid from your pass. You see the cost under
              every answer.
            </p>
            <div className="suggestions">
              {suggestions.map((suggestion) => (
                <button
                  key={suggestion}
                  type="button"
                  className="suggestion"
                  onClick={() => {
                    setPrompt(suggestion)
                    inputRef.current?.focus()
                  }}
                >
                  {suggestion}
                </button>
              ))}
            </div>
          </li>
        ) : null}
        {turns.map((turn) =>
          turn.role === 'user' ? (
            <UserMessage key={turn.id} content={turn.content} />
          ) : (
            <AssistantMessage
              key={turn.id}
              content={turn.content}
              model={turn.model}
              status={turn.status}
              costMicroUsd={turn.costMicroUsd}
              usage={turn.usage}
            />
          ),
        )}
        {pending ? (
          <AssistantMessage content={chat.text} model={pending.model} status="streaming" />
        ) : null}
      </ol>

      {failure !== undefined && !streaming ? (
        <ChatError error={failure} passTokenId={passTokenId} onRetry={() => send()} />
      ) : null}

      <form
        className="composer"
        onSubmit={(event) => {
          event.preventDefault()
          send()
        }}
      >
        <label htmlFor="prompt-input" className="visually-hidden">
          Message
        </label>
        <textarea
          id="prompt-input"
          ref={inputRef}
          data-testid="prompt-input"
          value={prompt}
          rows={3}
          placeholder="Ask something… (Enter to send, Shift+Enter for a new line)"
          onChange={(event) => setPrompt(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="composer-actions">
          <span className="muted small composer-hint">
            {model ? `${model.id} · billed to pass #${passTokenId?.toString() ?? '–'}` : ''}
          </span>
          {streaming ? (
            <button
              type="button"
              className="btn btn-danger"
              data-testid="stop"
              onClick={() => chat.abort()}
            >
              <span className="stop-square" aria-hidden="true" />
              Stop
            </button>
          ) : (
            <button
              type="submit"
              className="btn btn-primary"
              data-testid="send"
              disabled={!prompt.trim() || !model}
            >
              Send
            </button>
          )}
        </div>
      </form>
    </div>
  )
}

function readStoredModel(): string {
  try {
    return window.localStorage.getItem(modelStorageKey) ?? ''
  } catch {
    return ''
  }
}
