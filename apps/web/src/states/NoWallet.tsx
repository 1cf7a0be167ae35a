import { WalletIcon } from '../ui/icons'
import { Screen } from '../ui/Screen'

/** No browser wallet, and not on the dev chain (where dev accounts would do). */
export function NoWallet() {
  return (
    <Screen testId="state-no-wallet" icon={<WalletIcon />} title="You need a wallet">
      <p className="lead">
        AccessPoint signs you in with an Ethereum wallet, and no wallet was found in this browser.
      </p>
      <ol className="steps">
        <li>
          Install a browser wallet such as{' '}
          <a href="https://metamask.io/download/" target="_blank" rel="noreferrer">
            MetaMask
          </a>
          ,{' '}
          <a href="https://rabby.io/" target="_blank" rel="noreferrer">
            Rabby
          </a>{' '}
          or{' '}
          <a href="https://www.coinbase.com/wallet/downloads" target="_blank" rel="noreferrer">
            Coinbase Wallet
          </a>
          .
        </li>
        <li>Create or import an account that holds an AccessPass.</li>
        <li>Reload this page and connect.</li>
      </ol>
      <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
        I installed one, reload
      </button>
    </Screen>
  )
}
