import { useEffect, useState } from 'react'
import { type Discovery, fetchDiscovery } from './discovery'

export type DiscoveryState =
  | { status: 'ready'; discovery: Discovery }
  | {
      status: 'connecting'
      /** Failed attempts so far (0 while the first one runs). */
      failures: number
      /** Why the last attempt failed. */
      reason: string | undefined
      /** When the next attempt starts (epoch ms), after a failure. */
      retryAt: number | undefined
    }

/** Wait before attempt n+1: quick at first (the server is often just starting), then every 5 s. */
function retryDelay(failures: number): number {
  return Math.min(5_000, 500 * 2 ** Math.max(0, failures - 1))
}

/**
 * Loads the server's discovery document, retrying until it answers: in `pnpm dev` the web app is
 * often up before the server (it starts the chain and the database first).
 */
export function useDiscovery(): DiscoveryState {
  const [state, setState] = useState<DiscoveryState>({
    status: 'connecting',
    failures: 0,
    reason: undefined,
    retryAt: undefined,
  })

  useEffect(() => {
    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    let failures = 0
    const attempt = async () => {
      try {
        const discovery = await fetchDiscovery(controller.signal)
        setState({ status: 'ready', discovery })
      } catch (error) {
        if (controller.signal.aborted) return
        failures++
        const delay = retryDelay(failures)
        setState({
          status: 'connecting',
          failures,
          reason: error instanceof Error ? error.message : String(error),
          retryAt: Date.now() + delay,
        })
        timer = setTimeout(attempt, delay)
      }
    }
    void attempt()
    return () => {
      controller.abort()
      clearTimeout(timer)
    }
  }, [])

  return state
}
