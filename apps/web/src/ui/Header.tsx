import { useSignOut } from '@accesspoint/react'
import { useConnection, useDisconnect } from 'wagmi'
import { useAppConfig } from '../config/AppConfig'
import { errorMessage } from './errors'
import { shortAddress } from './format'
import { LogoMark } from './icons'
import { Spinner } from './Spinner'
import { type Route, routeHref } from './useRoute'

const navItems: { route: Route; label: string }[] = [
  { route: 'chat', label: 'Chat' },
  { route: 'usage', label: 'Usage' },
  { route: 'keys', label: 'API keys' },
]

export function Header({ route, signedIn }: { route: Route; signedIn: boolean }) {
  const { discovery, chain, isDev } = useAppConfig()
  const connection = useConnection()
  const connected = connection.status === 'connected'
  return (
    <header className="header">
      <div className="header-inner">
        <a className="brand" href={routeHref('chat')} aria-label={`${discovery.name} home`}>
          <LogoMark />
          <span className="brand-name">{discovery.name}</span>
        </a>
        {signedIn ? (
          <nav className="nav" aria-label="Main">
            {navItems.map((item) => (
              <a
                key={item.route}
                href={routeHref(item.route)}
                className="nav-link"
                data-testid={`nav-${item.route}`}
                aria-current={route === item.route ? 'page' : undefined}
              >
                {item.label}
              </a>
            ))}
          </nav>
        ) : null}
        {connected && connection.address ? (
          <div className="account-bar">
            <span
              className={`chain-badge${connection.chainId === chain.id ? '' : ' chain-badge-wrong'}`}
              title={`Chain id ${connection.chainId}`}
            >
              <span className="dot" aria-hidden="true" />
              {connection.chainId === chain.id
                ? isDev
                  ? 'Anvil dev'
                  : chain.name
                : `Chain ${connection.chainId}`}
            </span>
            <span
              className="address-pill mono"
              data-testid="wallet-address"
              data-address={connection.address}
              title={connection.address}
            >
              {shortAddress(connection.address)}
            </span>
            {signedIn ? <SignOutButton /> : null}
            <DisconnectButton />
          </div>
        ) : null}
      </div>
    </header>
  )
}

function SignOutButton() {
  const signOut = useSignOut()
  return (
    <>
      <button
        type="button"
        className="btn btn-sm"
        data-testid="sign-out"
        disabled={signOut.isPending}
        onClick={() => signOut.mutate({})}
      >
        {signOut.isPending ? <Spinner size="sm" /> : null}
        Sign out
      </button>
      {signOut.error ? (
        <span className="header-error" role="alert">
          Sign-out failed: {errorMessage(signOut.error)}
        </span>
      ) : null}
    </>
  )
}

function DisconnectButton() {
  const disconnect = useDisconnect()
  return (
    <button
      type="button"
      className="btn btn-sm btn-ghost"
      data-testid="disconnect"
      disabled={disconnect.isPending}
      onClick={() => disconnect.mutate()}
      title="Disconnect the wallet (your session stays until you sign out)"
    >
      Disconnect
    </button>
  )
}
