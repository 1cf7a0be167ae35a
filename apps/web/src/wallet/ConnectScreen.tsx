import { useConnect, useConnectors } from 'wagmi'
import { useAppConfig } from '../config/AppConfig'
import { devAccountOptions } from '../config/devAccounts'
import { errorMessage, isUserRejection } from '../ui/errors'
import { shortAddress } from '../ui/format'
import { WalletIcon } from '../ui/icons'
import { Notice } from '../ui/Notice'
import { Screen } from '../ui/Screen'
import { Spinner } from '../ui/Spinner'
import { devConnectorId } from './devAccountConnector'

export function hasInjectedWallet(): boolean {
  return typeof window !== 'undefined' && 'ethereum' in window && Boolean(window.ethereum)
}

declare global {
  interface Window {
    ethereum?: unknown
  }
}

/** Not connected: a browser wallet, and on the dev chain any of anvil's accounts. */
export function ConnectScreen() {
  const { isDev, chain } = useAppConfig()
  const connectors = useConnectors()
  const connect = useConnect()
  const injected = connectors.find((connector) => connector.id === 'injected')
  const hasWallet = hasInjectedWallet()
  const pendingId = connect.isPending ? connect.variables?.connector : undefined
  const isPending = (id: string) =>
    typeof pendingId === 'object' && pendingId !== null && 'id' in pendingId && pendingId.id === id

  return (
    <Screen icon={<WalletIcon />} title="Connect your wallet" wide={isDev}>
      <p className="lead">
        AccessPoint sells metered AI to AccessPass holders. Connect the wallet that holds your pass;
        you pay per request from its prepaid credit.
      </p>
      <div className="connect-options">
        <button
          type="button"
          className="btn btn-primary btn-lg"
          data-testid="connect-injected"
          disabled={!injected || !hasWallet || connect.isPending}
          onClick={() => injected && connect.mutate({ connector: injected })}
        >
          {isPending('injected') ? <Spinner size="sm" /> : null}
          {isPending('injected') ? 'Check your wallet…' : 'Browser wallet'}
        </button>
        {!hasWallet ? (
          <p className="muted small">
            No browser wallet found.{' '}
            {isDev
              ? 'On the dev chain you can use one of the accounts below.'
              : 'Install one (MetaMask, Rabby, Coinbase Wallet) and reload.'}
          </p>
        ) : null}
      </div>

      {isDev ? (
        <div className="dev-accounts">
          <h2 className="section-title">
            Dev chain accounts <span className="badge">anvil · {chain.id}</span>
          </h2>
          <p className="muted small">
            Anvil&apos;s public test accounts; the chain signs for them, no extension needed. Never
            send real funds to these addresses.
          </p>
          <ul className="dev-account-list">
            {devAccountOptions.map((account) => {
              const connector = connectors.find((item) => item.id === devConnectorId(account.index))
              return (
                <li key={account.address}>
                  <button
                    type="button"
                    className={`dev-account${account.hasPass ? ' dev-account-pass' : ''}`}
                    data-testid={`dev-account-${account.index}`}
                    disabled={!connector || connect.isPending}
                    onClick={() => connector && connect.mutate({ connector })}
                  >
                    <span className="dev-account-name">
                      {isPending(devConnectorId(account.index)) ? <Spinner size="sm" /> : null}
                      Dev account {account.index}
                    </span>
                    <span className="dev-account-label">{account.label}</span>
                    <span className="dev-account-address mono">
                      {shortAddress(account.address)}
                    </span>
                  </button>
                </li>
              )
            })}
          </ul>
        </div>
      ) : null}

      {connect.error ? (
        <Notice
          tone={isUserRejection(connect.error) ? 'warning' : 'danger'}
          title="Could not connect"
        >
          {errorMessage(connect.error)}
        </Notice>
      ) : null}
    </Screen>
  )
}
