import type { StreamErrorType, StreamParameters, TokenUsage } from '@accesspoint/client'
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import { invalidate, spendingQueries } from '../internal/invalidate.js'
import { refreshSessionStateAfter } from '../internal/sessionErrors.js'
import { useAccessPointClient } from './useAccessPointClient.js'

export type ChatStreamStatus = 'idle' | 'streaming' | 'done' | 'error'

export type ChatStreamState = {
  /** The answer so far. */
  text: string
  status: ChatStreamStatus
  /** Token counts, when done. */
  usage: TokenUsage | undefined
  /** What was charged, in micro-USD, when done. */
  costMicroUsd: bigint | undefined
  /** Why it failed (also the abort reason after `abort()`). */
  error: StreamErrorType | Error | undefined
}

export type UseChatStreamReturnType = ChatStreamState & {
  /**
   * Starts a stream, replacing (and aborting) any running one. Resolves when it ends; never
   * rejects: failures land in `error` and `status`.
   */
  start(parameters: Omit<StreamParameters, 'signal'>): Promise<void>
  /** Stops reading; the server still finishes and bills the generation. */
  abort(): void
}

const initialState: ChatStreamState = {
  text: '',
  status: 'idle',
  usage: undefined,
  costMicroUsd: undefined,
  error: undefined,
}

type Run = { controller: AbortController; pending: string; cancel: (() => void) | undefined }

/**
 * Streams an answer into state. Deltas are batched into at most one update per animation frame
 * (a timer where there are no frames), so a long answer does not re-render once per token.
 * Balance, usage and access are refetched when it ends, as the request was charged.
 */
export function useChatStream(): UseChatStreamReturnType {
  const client = useAccessPointClient()
  const queryClient = useQueryClient()
  const [state, setState] = useState<ChatStreamState>(initialState)
  const current = useRef<Run | undefined>(undefined)

  // Leaving the page (or the component) stops reading; state updates after unmount are moot.
  useEffect(
    () => () => {
      current.current?.cancel?.()
      current.current?.controller.abort()
      current.current = undefined
    },
    [],
  )

  const start = useCallback(
    async (parameters: Omit<StreamParameters, 'signal'>) => {
      current.current?.controller.abort()
      const run: Run = { controller: new AbortController(), pending: '', cancel: undefined }
      current.current = run
      const isCurrent = () => current.current === run
      const flush = () => {
        run.cancel = undefined
        const chunk = run.pending
        run.pending = ''
        if (chunk && isCurrent()) setState((state) => ({ ...state, text: state.text + chunk }))
      }
      setState({ ...initialState, status: 'streaming' })
      try {
        const answer = client.stream({ ...parameters, signal: run.controller.signal })
        for await (const event of answer) {
          // A newer start() took over: leaving the loop closes this stream.
          if (!isCurrent()) break
          if (event.type === 'delta') {
            run.pending += event.text
            run.cancel ??= scheduleFrame(flush)
          } else {
            run.cancel?.()
            flush()
            setState((state) => ({
              ...state,
              status: 'done',
              usage: event.usage,
              costMicroUsd: event.costMicroUsd,
            }))
          }
        }
      } catch (error) {
        refreshSessionStateAfter(queryClient, error)
        run.cancel?.()
        // What arrived before the failure stays shown.
        flush()
        if (isCurrent())
          setState((state) => ({
            ...state,
            status: 'error',
            error: error instanceof Error ? error : new Error(String(error)),
          }))
      }
      // Charged even when aborted (the server finishes the generation), so refresh either way.
      await invalidate(queryClient, spendingQueries)
    },
    [client, queryClient],
  )

  const abort = useCallback(() => {
    current.current?.controller.abort(new DOMException('The stream was aborted.', 'AbortError'))
  }, [])

  return { ...state, start, abort }
}

/** Runs `callback` on the next animation frame, or after ~one frame without them; returns a cancel. */
function scheduleFrame(callback: () => void): () => void {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(() => callback())
    return () => cancelAnimationFrame(id)
  }
  const id = setTimeout(callback, 16)
  return () => clearTimeout(id)
}
