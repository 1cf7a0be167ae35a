import { useAccess, useSession } from '@accesspoint/react'
import { type ReactNode, useState } from 'react'
import { useConnection, useDisconnect } from 'wagmi'
import { ChatPage } from './chat/ChatPage'
import type { Turn } from './chat/types'
import { useAppConfig } from './config/AppConfig'
import { Providers } from './config/Providers'
import { useDiscovery } from './config/useDiscovery'
import { KeysPage } from './keys/KeysPage'
import { ConnectingServer } from './states/ConnectingServer'
import { ErrorBoundary } from './states/ErrorBoundary'
import { NoAccess } from './states/NoAccess'
import { NoWallet } from './states/NoWallet'
import { WrongChain } from './states/WrongChain'
import { errorCode, errorMessage, isSessionError } from './ui/errors'
import { Header } from './ui/Header'
import { LogoMark } from './ui/icons'
import { Notice } from './ui/Notice'
import { Spinner } from './ui/Spinner'
import { type Route, useRoute } from './ui/useRoute'
import { UsagePage } from './usage/UsagePage'
import { AccountPanel } from './wallet/AccountPanel'
import { ConnectScreen, hasInjectedWallet } from './wallet/ConnectScreen'
import { SignInScreen } from './wallet/SignInScreen'

/** Finds the server first (retrying while it starts), then builds wagmi from what it says. */
export function App() {
  const state = useDiscovery()
  if (state.status !== 'ready')
    return (
      <div className="app">
        <header className="header">
          <div className="header-inner">
            <span className="brand">
              <LogoMark />
              <span className="brand-name">AccessPoint</span>
            </span>
          </div>
        </header>
        <main className="main">
          <ConnectingServer state={state} />
        </main>
      </div>
    )
  return (
    <Providers discovery={state.discovery}>
      <Shell />
    </Providers>
  )
}

/**
 * Which screen: not connected -> connect (or "get a wallet"); wrong chain -> switch; connected
 * without a session -> sign in (or "expired"); signed in -> the app.
 */
function Shell() {
  const route = useRoute()
  const { chain, isDev, discovery } = useAppConfig()
  const connection = useConnection()
  const address = connection.status === 'connected' ? connection.address : undefined
  const onChain = connection.chainId === chain.id
  // Read from the session the client keeps: never a wallet prompt, never a request.
  const session = useSession()
  const state = session.data
  const current =
    state && (state.status === 'none' || state.address.toLowerCase() === address?.toLowerCase())
      ? state.status
      : undefined
  const signedIn = address !== undefined && onChain && current === 'active'

  let content: ReactNode
  if (connection.status === 'reconnecting')
    content = (
      <div className="screen">
        <p className="muted" role="status">
          <Spinner size="sm" /> Reconnecting your wallet…
        </p>
      </div>
    )
  else if (!address) content = !hasInjectedWallet() && !isDev ? <NoWallet /> : <ConnectScreen />
  else if (!onChain) content = <WrongChain walletChainId={connection.chainId} />
  else if (current === undefined && session.error)
    content = (
      <div className="screen">
        <Notice tone="danger" title="Could not read your session" code={errorCode(session.error)}>
          {errorMessage(session.error)}
        </Notice>
      </div>
    )
  else if (current === undefined)
    content = (
      <div className="screen">
        <p className="muted" role="status">
          <Spinner size="sm" /> Checking your session…
        </p>
      </div>
    )
  else if (current === 'active')
    content = <SignedInApp key={address} address={address} route={route} />
  else content = <SignInScreen key={address} address={address} expired={current === 'expired'} />

  return (
    <div className="app">
      <Header route={route} signedIn={signedIn} />
      <main className="main">
        <ErrorBoundary>{content}</ErrorBoundary>
      </main>
      <footer className="footer">
        <span>
          {discovery.name} {discovery.version ? `v${discovery.version}` : ''} · chain {chain.id}
          {isDev ? ' (local dev chain)' : ''}
        </span>
        <span>Pay per request from your AccessPass. Prices per 1M tokens.</span>
      </footer>
    </div>
  )
}

/** Signed in: who the wallet is to the server decides what it sees. */
function SignedInApp({ address, route }: { address: string; route: Route }) {
  const access = useAccess()
  const { mutate: disconnect } = useDisconnect()
  // The conversation outlives a visit to the other pages.
  const [turns, setTurns] = useState<Turn[]>([])

  if (access.error) {
    const code = errorCode(access.error)
    if (code === 'FORBIDDEN_ROLE')
      return (
        <NoAccess
          address={address}
          actions={
            <button type="button" className="btn" onClick={() => disconnect()}>
              Use another wallet
            </button>
          }
        />
      )
    // The session is over: the provider re-reads its state and the shell says "sign in again".
    if (isSessionError(access.error))
      return (
        <div className="screen">
          <Spinner />
        </div>
      )
    return (
      <div className="screen">
        <Notice
          tone="danger"
          title="Could not load your account"
          code={code}
          actions={
            <button type="button" className="btn" onClick={() => void access.refetch()}>
              Try again
            </button>
          }
        >
          {errorMessage(access.error)}
        </Notice>
      </div>
    )
  }
  if (!access.data)
    return (
      <div className="screen">
        <p className="muted" role="status">
          <Spinner size="sm" /> Loading your pass and balance…
        </p>
      </div>
    )
  const me = access.data
  if (me.roles.length === 0)
    return (
      <NoAccess
        address={address}
        actions={
          <button type="button" className="btn" onClick={() => disconnect()}>
            Use another wallet
          </button>
        }
      />
    )

  return (
    <div className="layout">
      <AccountPanel me={me} />
      <section className="page" aria-label={pageTitles[route]}>
        <ErrorBoundary key={route} scope={pageTitles[route]}>
          {route === 'usage' ? (
            <UsagePage />
          ) : route === 'keys' ? (
            <KeysPage me={me} />
          ) : (
            <ChatPage me={me} turns={turns} setTurns={setTurns} />
          )}
        </ErrorBoundary>
      </section>
    </div>
  )
}

const pageTitles: Record<Route, string> = { chat: 'Chat', usage: 'Usage', keys: 'API keys' }
