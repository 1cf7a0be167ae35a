import { useEffect, useState } from 'react'
import { apiUrl } from '../config/env'
import type { DiscoveryState } from '../config/useDiscovery'
import { CloudOffIcon } from '../ui/icons'
import { Screen } from '../ui/Screen'
import { Spinner } from '../ui/Spinner'

type Connecting = Extract<DiscoveryState, { status: 'connecting' }>

/** Shown until the server's discovery document answers; retries by itself. */
export function ConnectingServer({ state }: { state: Connecting }) {
  const seconds = useSecondsUntil(state.retryAt)
  const failing = state.failures > 0
  return (
    <Screen
      testId="state-connecting-server"
      icon={failing ? <CloudOffIcon /> : <Spinner />}
      title="Connecting to AccessPoint…"
    >
      {failing ? (
        <>
          <p className="lead" role="status">
            The server is not reachable yet, retrying
            {seconds > 0 ? ` in ${seconds} s` : '…'}
          </p>
          <p className="muted small">
            {state.reason} If you just ran <code>pnpm dev</code>, the server is probably still
            starting its chain and database. Otherwise check that it runs at <code>{apiUrl}</code>.
          </p>
          <p className="muted small">
            {state.failures} failed {state.failures === 1 ? 'attempt' : 'attempts'} so far
          </p>
        </>
      ) : (
        <p className="lead">Looking up the server at {apiUrl}.</p>
      )}
    </Screen>
  )
}

function useSecondsUntil(at: number | undefined): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (at === undefined) return
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [at])
  return at === undefined ? 0 : Math.max(0, Math.ceil((at - now) / 1000))
}
